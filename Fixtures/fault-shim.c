// Fault injection into FFmpeg's own calls, for the isolation tests (built by them with gcc and
// loaded into a job's child process with LD_PRELOAD; never part of Sluice itself).
//
// A fault is chosen by a marker in the input's file name:
//   CRASHME     SIGSEGV in av_read_frame after a few packets (a decoder bug halfway through)
//   ABORTME     abort() in av_read_frame after a few packets
//   HANGME      av_read_frame never returns after a few packets (blocked inside C)
//   HOGME       av_read_frame allocates and touches 32 MiB per packet after a few packets
//   FULLDISK    av_read_frame fails with AVERROR(ENOSPC) after a few packets
//   PROBECRASH  SIGSEGV in avformat_find_stream_info (the probe)
//   PROBEHANG   avformat_find_stream_info never returns
//   DECODEHANG  avcodec_send_packet never returns after a few video packets (a decoder stuck
//               inside C; the marker is looked up in the file name the shim saw opened)
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int packets_before_fault = 40;
// Kept reachable, or the compiler may drop an allocation nobody reads.
static char *volatile hoard[4096];

// FAULT_SHIM_MARKER=NAME gives every input that marker: the runner's inputs are downloaded
// under names of its own, so its tests choose the fault this way.
static int marked(const AVFormatContext *context, const char *marker) {
    const char *forced = getenv("FAULT_SHIM_MARKER");
    if (forced != NULL && strcmp(forced, marker) == 0) return 1;
    return context != NULL && context->url != NULL && strstr(context->url, marker) != NULL;
}

// A real invalid access, not raise(SIGSEGV): a handler that returns (Swift's backtracer does)
// would let a raised signal continue, but the faulting instruction faults again.
static void crash(void) {
    *(volatile int *)16 = 1;
}

static void hang_forever(void) {
    for (;;) sleep(1000);
}

int av_read_frame(AVFormatContext *context, AVPacket *packet) {
    static int (*real)(AVFormatContext *, AVPacket *);
    static int packets;
    if (real == NULL) real = (int (*)(AVFormatContext *, AVPacket *))dlsym(RTLD_NEXT, "av_read_frame");
    if (++packets > packets_before_fault) {
        if (marked(context, "CRASHME")) crash();
        if (marked(context, "ABORTME")) abort();
        if (marked(context, "HANGME")) hang_forever();
        if (marked(context, "FULLDISK")) return AVERROR(ENOSPC);
        if (marked(context, "HOGME")) {
            size_t size = 32u << 20;
            char *block = malloc(size);
            if (block != NULL) memset(block, packets & 0xff, size);
            hoard[packets % 4096] = block;
        }
    }
    return real(context, packet);
}

int avformat_find_stream_info(AVFormatContext *context, AVDictionary **options) {
    static int (*real)(AVFormatContext *, AVDictionary **);
    if (real == NULL) real = (int (*)(AVFormatContext *, AVDictionary **))dlsym(RTLD_NEXT, "avformat_find_stream_info");
    if (marked(context, "PROBECRASH")) crash();
    if (marked(context, "PROBEHANG")) hang_forever();
    return real(context, options);
}

// The decoder has no file name: remember whether the process opened a DECODEHANG input.
static volatile int decode_hang_armed;

int avformat_open_input(AVFormatContext **context, const char *url, const AVInputFormat *format, AVDictionary **options) {
    static int (*real)(AVFormatContext **, const char *, const AVInputFormat *, AVDictionary **);
    if (real == NULL) real = (int (*)(AVFormatContext **, const char *, const AVInputFormat *, AVDictionary **))dlsym(RTLD_NEXT, "avformat_open_input");
    const char *forced = getenv("FAULT_SHIM_MARKER");
    if ((url != NULL && strstr(url, "DECODEHANG") != NULL) || (forced != NULL && strcmp(forced, "DECODEHANG") == 0)) {
        decode_hang_armed = 1;
    }
    return real(context, url, format, options);
}

int avcodec_send_packet(AVCodecContext *codec, const AVPacket *packet) {
    static int (*real)(AVCodecContext *, const AVPacket *);
    static int video_packets;
    if (real == NULL) real = (int (*)(AVCodecContext *, const AVPacket *))dlsym(RTLD_NEXT, "avcodec_send_packet");
    if (decode_hang_armed && codec != NULL && codec->codec_type == AVMEDIA_TYPE_VIDEO && av_codec_is_decoder(codec->codec)
        && packet != NULL && ++video_packets > packets_before_fault) {
        hang_forever();
    }
    return real(codec, packet);
}
