#ifndef CFFMPEG_H
#define CFFMPEG_H

// FFmpeg 5.1 (Debian 12). Every shim below exists because Swift's importer cannot see the
// macro it replaces; each is prefixed `cffmpeg_` so it is obvious at the call site.

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

// AVERROR_EOF and AVERROR_INVALIDDATA expand through FFERRTAG/MKTAG: "structure not supported".
static const int cffmpeg_AVERROR_EOF = AVERROR_EOF;
static const int cffmpeg_AVERROR_INVALIDDATA = AVERROR_INVALIDDATA;
static const int cffmpeg_AVERROR_DECODER_NOT_FOUND = AVERROR_DECODER_NOT_FOUND;
static const int cffmpeg_AVERROR_EXIT = AVERROR_EXIT;
// AVERROR(e) is a function-like macro.
static inline int cffmpeg_AVERROR(int e) { return AVERROR(e); }
// AV_NOPTS_VALUE is a cast of UINT64_C(...): not importable.
static const int64_t cffmpeg_AV_NOPTS_VALUE = AV_NOPTS_VALUE;
// AV_TIME_BASE_Q is a compound literal.
static inline AVRational cffmpeg_AV_TIME_BASE_Q(void) { return AV_TIME_BASE_Q; }

#endif
