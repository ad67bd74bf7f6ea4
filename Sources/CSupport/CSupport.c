#define _GNU_SOURCE
#include "CSupport.h"
#include <fcntl.h>
#include <unistd.h>
#include <libavutil/log.h>
#include <stdatomic.h>
#include <sys/prctl.h>

static _Atomic(cffmpeg_log_sink) current_sink = NULL;

static void forward(void *avcl, int level, const char *fmt, va_list vl) {
    cffmpeg_log_sink sink = atomic_load(&current_sink);
    if (sink == NULL || level > av_log_get_level()) return;
    char line[1024];
    int print_prefix = 1;
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
    sink(level, line);
}

void cffmpeg_install_log_sink(cffmpeg_log_sink sink) {
    atomic_store(&current_sink, sink);
    av_log_set_callback(forward);
}

int cffmpeg_disable_transparent_huge_pages(void) {
    return prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}

int cffmpeg_die_with_parent(int signal) {
    return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0);
}

int cffmpeg_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
