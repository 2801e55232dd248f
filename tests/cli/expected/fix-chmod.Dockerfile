# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
# fathom fix: COPY --chmod=755 --chown=1000:1000 at line 2 instead of `chmod -R 755 /app`, `chown -R 1000:1000 /app` at line 3 (saves 5.1 kB)
COPY --chmod=755 --chown=1000:1000 app /app
# fathom fix: COPY --chmod=755 --chown=1000:1000 at line 2 instead of `chmod -R 755 /app`, `chown -R 1000:1000 /app` at line 3; nothing else was in the RUN of line 3: it went
# fathom fix: `chmod +x /usr/local/bin/tool` moved from line 5 into the RUN at line 4 (saves 3.0 kB)
RUN curl -fsSo /usr/local/bin/tool https://example.org/tool && \
    chmod +x /usr/local/bin/tool
# fathom fix: `chmod +x /usr/local/bin/tool` moved from line 5 into the RUN at line 4; nothing else was in the RUN of line 5: it went
COPY conf /etc/app
RUN chmod 600 /etc/app/a.conf
