//go:build !amd64 || purego

package wsmsg

func copyRun(out []byte, w int, b []byte, i int) (int, int, bool) {
	return copyRunGeneric(out, w, b, i)
}
