FROM node:20
WORKDIR /srv
# fathom fix: `docs` added to .dockerignore (the COPY at line 3) (saves 9.0 kB)
# fathom fix: `.git` added to .dockerignore (the COPY at line 3) (saves 4.0 kB)
# fathom fix: `**/.DS_Store` added to .dockerignore (the COPY at line 3) (saves 1.2 kB)
# fathom fix: `**/*.swp` added to .dockerignore (the COPY at line 3) (saves 120 B)
# fathom fix: `tests` added to .dockerignore (the COPY at line 3) (saves 300 B)
# fathom fix: `.github` added to .dockerignore (the COPY at line 3) (saves 200 B)
# fathom fix: `node_modules` added to .dockerignore (the COPY at line 3) (saves 400 B)
COPY . .
RUN npm ci
RUN rm -rf /srv/docs
CMD ["node", "src/main.js"]
