#ifndef CSUPPORT_H
#define CSUPPORT_H

/// Receives one formatted FFmpeg log line. Called on whatever thread FFmpeg logs from.
typedef void (*cffmpeg_log_sink)(int level, const char *line);

/// Routes av_log through `sink` as finished lines. This must be compiled C: av_log's callback
/// takes a va_list, which Swift cannot receive, and the message must never be reused as a
/// format string (SwiftFFmpeg's swift_log bug).
void cffmpeg_install_log_sink(cffmpeg_log_sink sink);

/// Stops transparent huge pages for this process (prctl PR_SET_THP_DISABLE, inherited by
/// children). prctl is variadic, which Swift cannot call. Returns 0 or -1 with errno set.
int cffmpeg_disable_transparent_huge_pages(void);

#endif
