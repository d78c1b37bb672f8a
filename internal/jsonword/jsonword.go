// Package jsonword looks at eight bytes of a JSON string at once.
package jsonword

// Ones and Highs are words of 0x01 and of 0x80 bytes.
const (
	Ones  = 0x0101010101010101
	Highs = 0x8080808080808080
)

// Stops marks, in the top bit of each of its bytes, the bytes of x that
// end a plain ASCII run inside a JSON string: '"', '\\', control
// characters and bytes of 0x80 and above (UTF-8 to check). Every such byte
// is marked and the lowest mark is exact; a byte above a marked one may be
// marked too (a borrow carries upwards), so only the lowest mark is to be
// used. Flipping bit 1 maps '"' to 0x20 and keeps control characters below
// it, so one subtraction finds both; for bytes of 0x80 and above one of the
// two subtractions always leaves the top bit set.
func Stops(x uint64) uint64 {
	qc := (x ^ 0x02*Ones) - 0x21*Ones
	bs := (x ^ '\\'*Ones) - Ones
	return (qc | bs) & Highs
}
