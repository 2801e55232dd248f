# The usual way: update and install, clean up later.
FROM debian:bookworm
ARG VERSION=1.0
# fathom fix: `rm -rf /var/lib/apt/lists/*` moved from line 6 into the RUN at line 4 (saves 32 kB)
RUN apt-get update && \
    apt-get install -y --no-install-recommends make && \
    rm -rf /var/lib/apt/lists/*
# fathom fix: `rm -rf /var/lib/apt/lists/*` moved from line 6 into the RUN at line 4
RUN echo built > /tmp/build.log

# the application, fetched, unpacked, its archive deleted
RUN curl -fsSo /tmp/app.tgz https://example.org/app.tgz
RUN tar -xzf /tmp/app.tgz -C /opt
RUN rm /tmp/app.tgz
RUN head -c 3000 /dev/zero > /tmp/blob.bin
RUN cp /tmp/blob.bin /opt/data.bin && rm /tmp/blob.bin
CMD ["/opt/app/run"]
