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
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libavformat/avformat.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int packets_before_fault = 40;
// Kept reachable, or the compiler may drop an allocation nobody reads.
static char *volatile hoard[4096];

static int marked(const AVFormatContext *context, const char *marker) {
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
