# Sluice on the official Swift 6 image with Debian's FFmpeg; runs the watch-folder service, or
# a PeerTube remote runner with other arguments.
#   docker build -t sluice .
#   docker run -v $PWD/inbox:/inbox -v $PWD/out:/out -v $PWD/state:/state -p 8080:8080 -e SLUICE_TOKEN=secret sluice
#   docker run -v $PWD/state:/state sluice runner register --state /state --url https://tube.example.org \
#       --registration-token ptrrt-... --name runner-1
#   docker run -v $PWD/state:/state sluice runner serve --state /state --log-format json
FROM swift:6.0-bookworm AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
COPY Tests Tests
RUN swift build -c release --product sluice && cp "$(swift build -c release --show-bin-path)/sluice" /usr/local/bin/sluice

FROM swift:6.0-bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      libavcodec59 libavformat59 libavfilter8 libavutil57 libswscale6 libswresample4 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/sluice /usr/local/bin/sluice
COPY pipelines /etc/sluice/pipelines
ENV SLUICE_PIPELINES=/etc/sluice/pipelines \
    SLUICE_INBOX=/inbox SLUICE_OUTPUT=/out SLUICE_STATE=/state SLUICE_HTTP=0.0.0.0:8080
VOLUME ["/inbox", "/out", "/state"]
EXPOSE 8080
# Listening beyond loopback needs SLUICE_TOKEN for the write API; /healthz and /metrics stay open.
ENTRYPOINT ["sluice"]
CMD ["watch", "--log-format", "json"]
