#define _GNU_SOURCE
#include "CSupport.h"
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <libavutil/log.h>
#include <libavutil/buffer.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/macros.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/vfs.h>

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

int cffmpeg_send_fds(int socket, const int *fds, int count) {
    if (count < 1 || count > 4) return -1;
    char byte = 'f';
    struct iovec payload = { .iov_base = &byte, .iov_len = 1 };
    union { struct cmsghdr header; char space[CMSG_SPACE(4 * sizeof(int))]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = { .msg_iov = &payload, .msg_iovlen = 1,
                              .msg_control = control.space, .msg_controllen = CMSG_SPACE(count * sizeof(int)) };
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(count * sizeof(int));
    memcpy(CMSG_DATA(header), fds, count * sizeof(int));
    ssize_t sent;
    do { sent = sendmsg(socket, &message, MSG_NOSIGNAL); } while (sent < 0 && errno == EINTR);
    return sent == 1 ? 0 : -1;
}

int cffmpeg_receive_fds(int socket, int *fds, int max) {
    if (max < 1 || max > 4) return -1;
    char byte;
    struct iovec payload = { .iov_base = &byte, .iov_len = 1 };
    union { struct cmsghdr header; char space[CMSG_SPACE(4 * sizeof(int))]; } control;
    struct msghdr message = { .msg_iov = &payload, .msg_iovlen = 1,
                              .msg_control = control.space, .msg_controllen = sizeof control.space };
    ssize_t received;
    do { received = recvmsg(socket, &message, MSG_CMSG_CLOEXEC); } while (received < 0 && errno == EINTR);
    if (received <= 0) return (int)received;
    int count = 0;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        int arrived = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int index = 0; index < arrived; index++) {
            int fd;
            memcpy(&fd, CMSG_DATA(header) + index * sizeof(int), sizeof fd);
            if (count < max) fds[count++] = fd; else close(fd);
        }
    }
    return count;
}

int cffmpeg_fork(void) {
    return fork();
}

int cffmpeg_pidfd_open(int pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int cffmpeg_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int cffmpeg_has_writer(const char *path) {
    static atomic_int sigio_ignored = 0;
    if (!atomic_exchange(&sigio_ignored, 1)) {
        // A writer opening the file while the lease is held breaks it with SIGIO, whose default
        // action ends the process; ignored, the opener just waits the microseconds until F_UNLCK.
        struct sigaction ignore = {0};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGIO, &ignore, NULL);
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return -1;
    int result = 0;
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
        fcntl(fd, F_SETLEASE, F_UNLCK);
    } else if (errno == EAGAIN || errno == EBUSY) {
        result = 1;
    } else {
        result = -1;
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}

long cffmpeg_filesystem_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long)info.f_type;
}

/* Linesizes for `width` rounded up to 64 pixels, as av_frame_get_buffer aligns them for SIMD. */
static int pooled_linesizes(int linesizes[4], int width, enum AVPixelFormat format) {
    return av_image_fill_linesizes(linesizes, format, FFALIGN(width, 64));
}

int cffmpeg_pooled_picture_size(int width, int height, int format) {
    int linesizes[4];
    int ret = pooled_linesizes(linesizes, width, (enum AVPixelFormat)format);
    if (ret < 0) return ret;
    uint8_t *planes[4];
    return av_image_fill_pointers(planes, (enum AVPixelFormat)format, height, NULL, linesizes);
}

int cffmpeg_pooled_picture(AVFrame *frame, AVBufferPool *pool, int width, int height, int format) {
    int linesizes[4];
    int ret = pooled_linesizes(linesizes, width, (enum AVPixelFormat)format);
    if (ret < 0) return ret;
    AVBufferRef *buffer = av_buffer_pool_get(pool);
    if (buffer == NULL) return AVERROR(ENOMEM);
    uint8_t *planes[4];
    ret = av_image_fill_pointers(planes, (enum AVPixelFormat)format, height, buffer->data, linesizes);
    if (ret < 0 || (size_t)ret > buffer->size) {
        av_buffer_unref(&buffer);
        return ret < 0 ? ret : AVERROR(EINVAL);
    }
    frame->buf[0] = buffer;
    for (int plane = 0; plane < 4; plane++) {
        frame->data[plane] = planes[plane];
        frame->linesize[plane] = linesizes[plane];
    }
    frame->extended_data = frame->data;
    frame->width = width;
    frame->height = height;
    frame->format = format;
    return 0;
}
