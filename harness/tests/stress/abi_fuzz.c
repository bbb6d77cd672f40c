// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded fuzzer of the char device's ABI, acting as the backend while a
 * child loads the disk: random ioctls (valid and invalid numbers, sizes,
 * pointers; batches with random fields, the blocking fetch cut short by a
 * timer), mmaps (lengths, offsets, flags, protections), munmap, mremap,
 * mprotect and madvise on the ctrl area and the window, touches of both,
 * read/write/poll on the device, a forked child's calls, and closing and
 * attaching again.  Every call that fails must fail with an errno from the
 * list below; what the ABI forbids (a writable ctrl area, a second window,
 * a moved or split mapping, a private one, MADV_DOFORK) must fail.
 *
 *   abi-fuzz SEED CALLS THREADS
 *
 * The same SEED and THREADS=1 replay the same calls.  Prints the counts;
 * exits 1 on any violation, 77 with no device.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"

#define PAGE		4096UL
#define KERNEL_PTR	0xffffffff81000000UL

/* What a refused call may say. Anything else is a violation. */
static const int allowed[] = {
	EINVAL, EFAULT, EBADF, ENOTTY, EBUSY, ENXIO, EPERM, EACCES, ENOMEM,
	EINTR, ESHUTDOWN, ENODEV, EAGAIN, EOVERFLOW, ESPIPE, EOPNOTSUPP,
};

static struct ring r;		/* fd, info; ctrl and data: the live mappings */
static pthread_rwlock_t maps_lock = PTHREAD_RWLOCK_INITIALIZER;
static uint8_t *scratch;	/* ours: buffers, a guard page after them */
static uint8_t *hole;		/* ours, PROT_NONE: where MREMAP_FIXED may go */
static atomic_ulong calls, refused, violations;
static atomic_ulong errno_count[sizeof(allowed) / sizeof(allowed[0])];
static unsigned long budget;

struct thread {
	pthread_t t;
	uint64_t rng;
	unsigned int id;
	timer_t timer;
	uint32_t held[64][1024];
	uint32_t nheld[64];
};

static uint64_t rnd(struct thread *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dull;
}

static uint64_t below(struct thread *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

static void violation(const char *fmt, const char *what, long v)
{
	if (atomic_fetch_add(&violations, 1) < 20) {
		printf("VIOLATION: ");
		printf(fmt, what, v);
		printf("\n");
		fflush(stdout);
	}
}

/* Counts one call; @ret < 0 with errno set is a refusal. */
static long account(const char *what, long ret)
{
	unsigned int i;

	atomic_fetch_add(&calls, 1);
	if (ret != -1)
		return ret;
	atomic_fetch_add(&refused, 1);
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (errno == allowed[i]) {
			atomic_fetch_add(&errno_count[i], 1);
			return ret;
		}
	violation("%s failed with errno %ld", what, errno);
	return ret;
}

static void must_fail(const char *what, long ret)
{
	if (ret != -1)
		violation("%s succeeded (%ld)", what, ret);
}

/* A user pointer, good or bad. */
static void *pointer(struct thread *t, size_t size)
{
	switch (below(t, 8)) {
	case 0: return NULL;
	case 1: return (void *)8;
	case 2: return (void *)KERNEL_PTR;
	case 3: return (void *)(uintptr_t)rnd(t);
	/* The last bytes before the guard page: a partial fault. */
	case 4: return scratch + 2 * PAGE - (size > 4 ? size / 2 : 1);
	case 5: return r.ctrl;		/* read-only to us */
	case 6: return r.data;
	default: return scratch + below(t, PAGE);
	}
}

/* Thread-local recovery from a touch the kernel refused. */
static __thread sigjmp_buf touch_jmp;
static __thread volatile int touching;

static void on_fault(int sig)
{
	if (touching)
		siglongjmp(touch_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Cut a blocking fetch short: a SIGALRM to this thread in 20 ms. */
static void arm(struct thread *t)
{
	struct itimerspec its = { .it_value = { 0, 20 * 1000 * 1000 } };

	timer_settime(t->timer, 0, &its, NULL);
}

static void hold(struct thread *t, uint32_t q, const uint32_t *tags, uint32_t n)
{
	if (q >= 64)
		return;
	for (uint32_t i = 0; i < n && t->nheld[q] < 1024; i++)
		t->held[q][t->nheld[q]++] = tags[i];
}

/* Completes what this thread holds, honestly. */
static void complete_held(struct thread *t)
{
	struct ubmap_completion c[1024];

	for (uint32_t q = 0; q < 64 && q < r.info.nr_queues; q++) {
		uint32_t n = t->nheld[q];
		struct ubmap_batch b;

		if (!n)
			continue;
		if (n > r.info.queue_depth)
			n = r.info.queue_depth;
		for (uint32_t i = 0; i < n; i++)
			c[i] = (struct ubmap_completion){ .tag = t->held[q][i] };
		account("commit held", ring_batch(&r, q, UBMAP_BATCH_NOWAIT, c, n,
						  NULL, 0, &b) ? -1 : 0);
		t->nheld[q] = 0;
	}
}

static void fuzz_batch(struct thread *t)
{
	uint32_t depth = r.info.queue_depth, tags[1024];
	struct ubmap_completion c[1024];
	struct ubmap_batch b = { 0 };
	int ours, ret;

	b.queue = below(t, 4) ? below(t, r.info.nr_queues) : (uint32_t)rnd(t);
	b.flags = below(t, 3) ? UBMAP_BATCH_NOWAIT : below(t, 2) ? 0 : (uint32_t)rnd(t);
	b.nr_completions = below(t, 2) ? 0 : below(t, 4) ? below(t, depth + 1) : (uint32_t)rnd(t);
	for (uint32_t i = 0; i < b.nr_completions && i < 1024; i++) {
		c[i].tag = below(t, 2) ? below(t, depth) : (uint32_t)rnd(t);
		c[i].result = below(t, 2) ? 0 : (int32_t)rnd(t);
	}
	b.completions = below(t, 4) ? (uintptr_t)c : (uintptr_t)pointer(t, 8);
	ours = below(t, 4) != 0;
	b.tags = ours ? (uintptr_t)tags : (uintptr_t)pointer(t, 4);
	b.max_fetch = below(t, 4) ? below(t, depth + 1) : (uint32_t)rnd(t);
	if (!below(t, 8))
		b.reserved[below(t, 4)] = rnd(t);
	if (!(b.flags & UBMAP_BATCH_NOWAIT))
		arm(t);
	ret = ioctl(r.fd, UBMAP_IOC_COMMIT_FETCH, &b);
	account("COMMIT_FETCH", ret);
	if (!ret && ours)
		hold(t, b.queue, tags, b.nr_fetched < 1024 ? b.nr_fetched : 0);
}

static void fuzz_ioctl(struct thread *t)
{
	static const unsigned long dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
					      _IOC_READ | _IOC_WRITE };
	unsigned long cmd;
	uint8_t buf[512];

	switch (below(t, 4)) {
	case 0:	/* the real numbers, with any pointer */
		cmd = below(t, 2) ? UBMAP_IOC_GET_INFO : UBMAP_IOC_COMMIT_FETCH;
		break;
	case 1:	/* our magic, any number, direction and size */
		cmd = _IOC(dirs[below(t, 4)], UBMAP_IOC_MAGIC, below(t, 8), below(t, 512));
		break;
	case 2:	/* the real ones with the size or direction wrong */
		cmd = _IOC(dirs[below(t, 4)], UBMAP_IOC_MAGIC, below(t, 2),
			   below(t, 2) ? sizeof(struct ubmap_info) : below(t, 256));
		break;
	default:
		cmd = (uint32_t)rnd(t);
		/* Generic file ioctls do real things (FIONBIO, FIOCLEX...). */
		if (_IOC_TYPE(cmd) == 'T' || _IOC_TYPE(cmd) == 'f' || _IOC_TYPE(cmd) == 0)
			cmd = _IO(UBMAP_IOC_MAGIC, 200);
		break;
	}
	/* A blocking COMMIT_FETCH through a random pointer ends by the timer. */
	arm(t);
	account("ioctl", ioctl(r.fd, cmd, below(t, 2) ? (void *)buf : pointer(t, 128)));
}

/* mmap of the device: which outcomes the ABI allows is checked after. */
static void fuzz_mmap(struct thread *t)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE,
				     PROT_WRITE, PROT_READ | PROT_EXEC };
	uint64_t lens[] = { r.info.ctrl_size, r.info.data_size, 0, PAGE,
			    r.info.data_size + PAGE, r.info.data_size / 2,
			    r.info.ctrl_size - 1, rnd(t) };
	uint64_t offs[] = { 0, r.info.data_offset, r.info.ctrl_size, PAGE * 3,
			    r.info.data_offset + PAGE, 1, rnd(t) & ~(PAGE - 1) };
	uint64_t len = lens[below(t, 8)], off = offs[below(t, 7)];
	int prot = prots[below(t, 5)];
	int flags = below(t, 4) ? MAP_SHARED : below(t, 2) ? MAP_PRIVATE : MAP_SHARED_VALIDATE;
	uint64_t rlen = (len + PAGE - 1) & ~(PAGE - 1);
	void *p;

	if (!below(t, 4))
		flags |= (int[]){ MAP_POPULATE, MAP_NORESERVE, MAP_LOCKED, MAP_32BIT }[below(t, 4)];
	p = mmap(NULL, len, prot, flags, r.fd, off);
	account("mmap", p == MAP_FAILED ? -1 : 0);
	if (p == MAP_FAILED)
		return;
	/* MAP_SHARED_VALIDATE is MAP_SHARED | MAP_PRIVATE: compare the type. */
	if ((flags & MAP_TYPE) == MAP_PRIVATE) {
		violation("mmap %s succeeded at offset %#lx", "MAP_PRIVATE", off);
	} else if (off == 0 && rlen == r.info.ctrl_size && !(prot & PROT_WRITE) && !r.ctrl) {
		r.ctrl = p;
		return;
	} else if (off == r.info.data_offset && rlen == r.info.data_size && !r.data) {
		r.data = p;
		return;
	} else {
		violation("mmap of %s succeeded, offset %#lx", off ? "a second or odd window" :
			  "a writable or second ctrl area", off);
	}
	munmap(p, len);
}

/* One of the two mappings, with its length; NULL if neither is there. */
static uint8_t *target(struct thread *t, uint64_t *len, int *is_ctrl)
{
	*is_ctrl = below(t, 3) == 0;
	if (*is_ctrl && r.ctrl) {
		*len = r.info.ctrl_size;
		return r.ctrl;
	}
	*is_ctrl = 0;
	*len = r.info.data_size;
	return r.data;
}

static void fuzz_munmap(struct thread *t)
{
	uint64_t len;
	int ctrl, partial = below(t, 2);
	uint8_t *p = target(t, &len, &ctrl);
	long ret;

	if (!p)
		return;
	/* One page inside, never past the end: that could be anything. */
	partial = partial && len > 2 * PAGE;
	ret = account("munmap", munmap(p + (partial ? PAGE : 0), partial ? PAGE : len));
	if (partial) {
		must_fail("munmap of one page inside the %s", ret);
		return;
	}
	if (!ret) {
		if (ctrl)
			r.ctrl = NULL;
		else
			r.data = NULL;
	}
}

static void fuzz_mremap(struct thread *t)
{
	uint64_t len, sizes[3];
	int ctrl, flags = (int[]){ 0, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED,
				   MREMAP_MAYMOVE | 4 /* DONTUNMAP */ }[below(t, 4)];
	uint8_t *p = target(t, &len, &ctrl);
	uint64_t n;
	void *q;

	if (!p)
		return;
	sizes[0] = len, sizes[1] = len / 2, sizes[2] = len * 2;
	n = sizes[below(t, 3)];
	q = mremap(p, len, n, flags, hole);
	account("mremap", q == MAP_FAILED ? -1 : 0);
	/* A shrink within the last page is no change. */
	if (q != MAP_FAILED && (q != p || (n + PAGE - 1) / PAGE != len / PAGE))
		violation("mremap of the %s moved or resized it (%ld)", ctrl ? "ctrl area" : "window",
			  (long)n);
}

static void fuzz_mprotect(struct thread *t)
{
	int prot = (int[]){ PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
			    PROT_READ | PROT_WRITE | PROT_EXEC }[below(t, 4)];
	int ctrl, partial = below(t, 3) == 0;
	uint64_t len;
	uint8_t *p = target(t, &len, &ctrl);
	long ret;

	if (!p)
		return;
	ret = account("mprotect", mprotect(p, partial ? PAGE : len, prot));
	if (ctrl && (prot & PROT_WRITE))
		must_fail("mprotect of the ctrl area writable", ret);
	/* Keep the window usable most of the time. */
	if (!ctrl && !below(t, 2))
		mprotect(p, len, PROT_READ | PROT_WRITE);
}

static void fuzz_madvise(struct thread *t)
{
	static const int advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
		MADV_FREE, MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE,
		MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP,
		MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT,
		22 /* POPULATE_READ */, 23 /* POPULATE_WRITE */, 77 /* none */,
		/* Not MADV_HWPOISON (100) or SOFT_OFFLINE: root injects a memory
		 * failure into whatever page is there, by design.
		 */
	};
	int a = advice[below(t, sizeof(advice) / sizeof(advice[0]))];
	int ctrl, partial = below(t, 3) == 0;
	uint64_t len;
	uint8_t *p = target(t, &len, &ctrl);
	long ret;

	if (!p)
		return;
	partial = partial && len > 2 * PAGE;
	ret = account("madvise", madvise(p + (partial ? PAGE : 0), partial ? PAGE : len, a));
	if (a == MADV_DOFORK)
		must_fail("MADV_DOFORK on the device's mapping", ret);
}

static void fuzz_touch(struct thread *t)
{
	uint64_t len;
	int is_ctrl, w = below(t, 2);
	uint8_t *volatile p = target(t, &len, &is_ctrl);
	/* Live across the longjmp. */
	volatile uint8_t *volatile a;
	volatile int write = w, ctrl = is_ctrl;
	volatile uint8_t v = (uint8_t)rnd(t);

	if (!p)
		return;
	a = p + below(t, len);
	touching = 1;
	if (!sigsetjmp(touch_jmp, 1)) {
		if (write)
			*a = v;
		else
			(void)*a;
		if (write && ctrl)
			violation("a write to the ctrl area at %s+%ld went through", "ctrl",
				  (long)(a - p));
	}
	touching = 0;
	atomic_fetch_add(&calls, 1);
}

static void fuzz_file(struct thread *t)
{
	uint8_t buf[256];
	struct pollfd pfd = { .fd = r.fd, .events = (short)rnd(t) };

	switch (below(t, 5)) {
	case 0: account("read", read(r.fd, below(t, 2) ? buf : pointer(t, 64), below(t, 256))); break;
	case 1: account("write", write(r.fd, below(t, 2) ? buf : pointer(t, 64), below(t, 256))); break;
	case 2: account("pread", pread(r.fd, buf, sizeof(buf), (off_t)rnd(t))); break;
	case 3: account("lseek", lseek(r.fd, (off_t)rnd(t), (int)below(t, 5))); break;
	default: account("poll", poll(&pfd, 1, 0)); break;
	}
}

/* A forked child is not the backend: every call of its own is refused. */
static void fuzz_fork(void)
{
	struct ubmap_info info;
	struct ubmap_batch b = { .flags = UBMAP_BATCH_NOWAIT };
	int status;
	pid_t pid = fork();

	if (!pid) {
		int bad = !ioctl(r.fd, UBMAP_IOC_GET_INFO, &info) ||
			  !ioctl(r.fd, UBMAP_IOC_COMMIT_FETCH, &b) ||
			  mmap(NULL, r.info.ctrl_size, PROT_READ, MAP_SHARED, r.fd, 0) != MAP_FAILED;

		_exit(bad);
	}
	atomic_fetch_add(&calls, 3);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		violation("a forked child's %s was not refused (%ld)", "call", (long)status);
}

/* Close and unmap everything, then attach again: the session must be gone. */
static void fuzz_reattach(void)
{
	int ret = 0;

	if (r.ctrl)
		munmap(r.ctrl, r.info.ctrl_size);
	if (r.data)
		munmap(r.data, r.info.data_size);
	close(r.fd);
	/*
	 * EBUSY while the last reference drains; EINTR when an armed SIGALRM
	 * lands in the open's wait (the module waits interruptibly).
	 */
	for (int i = 0; i < 100; i++) {
		ret = ring_open(&r);
		if (ret != -EBUSY && ret != -EINTR)
			break;
		usleep(1000);
	}
	atomic_fetch_add(&calls, 1);
	if (ret) {
		violation("attaching again after the last close: %s (%ld)", strerror(-ret), ret);
		exit(1);
	}
}

static void *fuzz_thread(void *arg)
{
	struct thread *t = arg;
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM };

	sev._sigev_un._tid = syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t->timer))
		abort();
	while (atomic_load(&calls) < budget && atomic_load(&violations) < 20) {
		unsigned int op = below(t, 100);
		int exclusive = op >= 60 && op < 83;

		if (op >= 95 && t->id)
			continue;
		/* Mapping changes one at a time: the tracking stays true. */
		if (exclusive || op >= 95)
			pthread_rwlock_wrlock(&maps_lock);
		else
			pthread_rwlock_rdlock(&maps_lock);
		if (op < 40)
			fuzz_batch(t);
		else if (op < 60)
			fuzz_ioctl(t);
		else if (op < 68)
			fuzz_mmap(t);
		else if (op < 71)
			fuzz_munmap(t);
		else if (op < 75)
			fuzz_mprotect(t);
		else if (op < 80)
			fuzz_madvise(t);
		else if (op < 83)
			fuzz_mremap(t);
		else if (op < 89)
			fuzz_touch(t);
		else if (op < 93)
			fuzz_file(t);
		else if (op < 95)
			complete_held(t);
		else if (op < 99)
			below(t, 20) ? complete_held(t) : fuzz_fork();
		else if (!below(t, 5))
			fuzz_reattach(), memset(t->nheld, 0, sizeof(t->nheld));
		pthread_rwlock_unlock(&maps_lock);
	}
	timer_delete(t->timer);
	return NULL;
}

/* The disk's load: random I/O whose errors are expected. */
static pid_t start_load(uint64_t seed)
{
	pid_t pid = fork();

	if (!pid) {
		uint64_t cap = r.info.capacity;
		uint8_t *buf;
		int fd[2] = { open(RING_BLOCK_DEV, O_RDWR | O_DIRECT), open(RING_BLOCK_DEV, O_RDWR) };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* Holding the backend's file would keep the session attached. */
		close(r.fd);
		if (fd[0] < 0 || fd[1] < 0 || posix_memalign((void **)&buf, PAGE, 1 << 20))
			_exit(2);
		for (uint64_t i = seed;; i = i * 6364136223846793005ull + 1) {
			size_t len = PAGE << ((i >> 40) % 6);
			off_t off = ((i >> 20) % (cap / len)) * len;

			if ((i >> 50) & 1)
				(void)pwrite(fd[(i >> 51) & 1], buf, len, off);
			else
				(void)pread(fd[(i >> 51) & 1], buf, len, off);
		}
	}
	return pid;
}

int main(int argc, char **argv)
{
	struct sigaction fault = { .sa_handler = on_fault, .sa_flags = SA_NODEFER };
	struct sigaction alarm = { .sa_handler = on_alarm };	/* no SA_RESTART */
	unsigned long seed, nthreads;
	struct thread *t;
	pid_t load;
	int ret;

	if (argc != 4 || !(seed = strtoul(argv[1], NULL, 0)) ||
	    !(budget = strtoul(argv[2], NULL, 0)) || !(nthreads = strtoul(argv[3], NULL, 0)) ||
	    nthreads > 8) {
		fprintf(stderr, "usage: abi-fuzz SEED(>0) CALLS THREADS(1..8)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(RING_CHAR_DEV, F_OK)) {
		fprintf(stderr, "skip: %s missing (module not loaded)\n", RING_CHAR_DEV);
		return 77;
	}
	sigaction(SIGSEGV, &fault, NULL);
	sigaction(SIGBUS, &fault, NULL);
	sigaction(SIGALRM, &alarm, NULL);
	scratch = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED || mprotect(scratch + 2 * PAGE, PAGE, PROT_NONE))
		return 2;
	ret = ring_open(&r);
	if (!ret) {
		hole = mmap(NULL, 3 * r.info.data_size, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (hole == MAP_FAILED)
			ret = -errno;
	}
	if (ret) {
		fprintf(stderr, "abi-fuzz: cannot attach: %s\n", strerror(-ret));
		return 1;
	}
	printf("abi-fuzz: seed %lu, %lu calls, %lu threads, mode %s, %u queues\n", seed, budget,
	       nthreads, r.info.mode, r.info.nr_queues);
	load = start_load(seed);
	t = calloc(nthreads, sizeof(*t));
	for (unsigned int i = 0; i < nthreads; i++) {
		t[i].id = i;
		t[i].rng = seed * 0x9e3779b97f4a7c15ull + i + 1;
		pthread_create(&t[i].t, NULL, fuzz_thread, &t[i]);
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(t[i].t, NULL);
	kill(load, SIGKILL);
	ring_close(&r);
	waitpid(load, NULL, 0);
	printf("calls %lu refused %lu violations %lu\n", atomic_load(&calls), atomic_load(&refused),
	       atomic_load(&violations));
	printf("errnos:");
	for (unsigned int i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (atomic_load(&errno_count[i]))
			printf(" %s %lu", strerrorname_np(allowed[i]), atomic_load(&errno_count[i]));
	printf("\n");
	return atomic_load(&violations) ? 1 : 0;
}
