# syntax=docker/dockerfile:1
FROM debian:bookworm
# fathom fix: `rm -rf /var/lib/apt/lists/*` moved from line 7 into the RUN at line 3 (saves 7.0 kB)
RUN <<EOF
apt-get update
apt-get install -y make
rm -rf /var/lib/apt/lists/*
EOF
# fathom fix: `rm -rf /var/lib/apt/lists/*` moved from line 7 into the RUN at line 3; nothing else was in the RUN of line 7: it went
