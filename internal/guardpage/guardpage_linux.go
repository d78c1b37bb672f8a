package guardpage

import (
	"syscall"
	"testing"
)

// Page returns a page of writable memory followed by an unreadable page;
// slice its end to place data last before the fault. It skips the test
// where the memory cannot be set up, and unmaps it when the test ends.
func Page(tb testing.TB) []byte {
	tb.Helper()
	page := syscall.Getpagesize()
	m, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		tb.Skip("mmap:", err)
	}
	tb.Cleanup(func() { syscall.Munmap(m) })
	if err := syscall.Mprotect(m[page:], syscall.PROT_NONE); err != nil {
		tb.Skip("mprotect:", err)
	}
	return m[:page]
}
