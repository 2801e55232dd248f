# fathom's own image: fathom is built in a Debian stage, and the image that
# runs it holds only the binary, what it links and what it reads at run
# time (docker/rootfs.sh), in one layer from scratch:
#   podman build -t fathom .        (or docker build)
#   podman run --rm -v "$PWD:/work" fathom /work/app.tar
#   podman run --rm -v /run/podman/podman.sock:/run/podman/podman.sock fathom podman://IMAGE
# BASE: any Debian 12 image (the tests use one made by debootstrap).
# --version says the VERSION file's release (the context has no .git).
ARG BASE=debian:bookworm-slim

FROM ${BASE} AS deps
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc libc6-dev make pkg-config ca-certificates xxd \
        libarchive-dev libxxhash-dev libjansson-dev libyaml-dev libisal-dev libncurses-dev \
        libpcre2-dev libcurl4-openssl-dev libssl-dev libdpkg-dev && \
    rm -rf /var/lib/apt/lists/*

FROM deps AS build
COPY . /src
RUN make -C /src -j"$(nproc)" all && \
    sh /src/docker/rootfs.sh /src/build/release/fathom /rootfs

FROM scratch
COPY --from=build /rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
WORKDIR /work
ENTRYPOINT ["fathom"]
