// Linux's fallocate(2), which Swift's Glibc module does not expose (glibc declares it for
// _GNU_SOURCE only). Unlike posix_fallocate, it never falls back to writing zeros where a
// file system cannot reserve space: it fails (EOPNOTSUPP) and costs nothing more.
#include <sys/types.h>

int fallocate(int fd, int mode, off_t offset, off_t len);

/// Reserves `size` bytes of blocks for the file open at `fd` without changing its size
/// (FALLOC_FL_KEEP_SIZE): the bytes written later land in blocks already allocated, and a
/// file that ends up shorter keeps its own length. 0, or -1 with errno where the file
/// system declines.
static inline int learn_reserve_file_space(int fd, long long size) {
    return fallocate(fd, 0x01 /* FALLOC_FL_KEEP_SIZE */, 0, (off_t)size);
}
