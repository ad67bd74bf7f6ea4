#ifndef CSUPPORT_H
#define CSUPPORT_H

#include <spawn.h>

// Declared only: the FFmpeg types come from CFFmpeg, and Swift sees these as OpaquePointer.
struct AVFrame;
struct AVBufferPool;

/// Receives one formatted FFmpeg log line. Called on whatever thread FFmpeg logs from.
typedef void (*cffmpeg_log_sink)(int level, const char *line);

/// Routes av_log through `sink` as finished lines. This must be compiled C: av_log's callback
/// takes a va_list, which Swift cannot receive, and the message must never be reused as a
/// format string (SwiftFFmpeg's swift_log bug).
void cffmpeg_install_log_sink(cffmpeg_log_sink sink);

/// Stops transparent huge pages for this process (prctl PR_SET_THP_DISABLE, inherited by
/// children). prctl is variadic, which Swift cannot call. Returns 0 or -1 with errno set.
int cffmpeg_disable_transparent_huge_pages(void);

/// Asks the kernel to send `signal` to this process when the thread that started it ends
/// (prctl PR_SET_PDEATHSIG): a job's child never outlives the service that supervises it.
/// Returns 0 or -1 with errno set.
int cffmpeg_die_with_parent(int signal);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends are closed in every program started later, created
/// atomically so a child spawned by another thread meanwhile cannot inherit them. Swift's Glibc
/// module does not export pipe2 (it needs _GNU_SOURCE). Returns 0 or -1 with errno set.
int cffmpeg_pipe_cloexec(int fds[2]);

/// Sends `count` file descriptors (at most 4) over the Unix socket `socket` with one byte of
/// payload (SCM_RIGHTS; its CMSG_* macros cannot be imported into Swift). Returns 0 or -1.
int cffmpeg_send_fds(int socket, const int *fds, int count);

/// Receives up to `max` (at most 4) file descriptors sent by `cffmpeg_send_fds`, close-on-exec.
/// Returns how many arrived, 0 at end of file, or -1 with errno set.
int cffmpeg_receive_fds(int socket, int *fds, int max);

/// fork(2), which Swift's Glibc module marks unavailable: only the job spawner calls it, from
/// its single thread, and the child goes straight to its own job.
int cffmpeg_fork(void);

/// pidfd_open(2) (Linux 5.3): a descriptor that becomes readable when `pid` exits, so the job
/// spawner learns of a child's end at once. glibc 2.36 has no wrapper Swift can see. Returns the
/// descriptor (close-on-exec) or -1 with errno set.
int cffmpeg_pidfd_open(int pid);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), a GNU extension Swift's Glibc module
/// does not export: the spawned program gets no descriptor from `from` up. Returns 0 or an errno.
int cffmpeg_spawn_close_from(posix_spawn_file_actions_t *actions, int from);

/// Whether any process has the file at `path` open for writing, by asking the kernel for a read
/// lease (fcntl F_SETLEASE F_RDLCK, released at once): Linux refuses one with EAGAIN while a
/// writer holds the file open, however long it pauses. Returns 0 (no writer), 1 (open for
/// writing), or -1 with errno set where leases are not allowed (another owner without
/// CAP_LEASE, a file system without leases). SIGIO, which a lease break would raise during the
/// microseconds the lease is held, is ignored from the first call on.
int cffmpeg_has_writer(const char *path);

/// statfs(2)'s f_type (the file system's magic number) of `path`, or -1 with errno set. Swift's
/// Glibc module does not export sys/vfs.h.
long cffmpeg_filesystem_type(const char *path);

/// Bytes of one picture of `width`x`height` in `format` laid out as ``cffmpeg_pooled_picture``
/// lays it out (one buffer, linesizes aligned to 64 pixels), for `av_buffer_pool_init`; or a
/// negative AVERROR.
int cffmpeg_pooled_picture_size(int width, int height, int format);

/// Gives `frame` (empty) a picture in one buffer taken from `pool`, which must hand out buffers
/// of ``cffmpeg_pooled_picture_size`` bytes: the buffer goes back to the pool when the last
/// reference is gone, so pictures kept a while and made every frame reuse memory rather than
/// allocate and fault in fresh pages each time. av_frame_get_buffer has no pool, and the plane
/// pointers and `extended_data` must be set as libavutil's own frame pool sets them. Returns 0 or
/// a negative AVERROR.
int cffmpeg_pooled_picture(struct AVFrame *frame, struct AVBufferPool *pool, int width, int height, int format);

#endif
