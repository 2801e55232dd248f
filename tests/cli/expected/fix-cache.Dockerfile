FROM python:3
# fathom fix: `pip install --no-cache-dir` at line 2 (saves 4.0 kB)
RUN pip install --no-cache-dir --upgrade flask
# fathom fix: `apk add --no-cache`, and `rm -rf /var/cache/apk/*` after its `apk update`, at line 3 (saves 3.0 kB)
RUN apk update && apk add --no-cache git && \
    rm -rf /var/cache/apk/*
# fathom fix: `npm cache clean --force` added at the end of the RUN at line 4 (saves 2.0 kB)
RUN npm install --global left-pad && \
    npm cache clean --force
# fathom fix: `go clean -cache` added at the end of the RUN at line 5 (saves 1.5 kB)
RUN go build -o /usr/local/bin/app ./cmd/app && \
    go clean -cache
# fathom fix: `yarn cache clean` added at the end of the RUN at line 6 (saves 1.2 kB)
RUN yarn global add right-pad && \
    yarn cache clean
# fathom fix: `dnf clean all` added at the end of the RUN at line 7 (saves 900 B)
RUN dnf install -y httpd && \
    dnf clean all
# fathom fix: `apt-get clean` added at the end of the RUN at line 8 (saves 1.4 kB)
RUN apt-get install -y curl && \
    apt-get clean
# fathom fix: `rm -rf /root/.gem/specs` added at the end of the RUN at line 9 (saves 300 B)
RUN gem install rails && \
    rm -rf /root/.gem/specs
