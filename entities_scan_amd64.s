//go:build !purego

#include "textflag.h"

// HEX4 sets reg to the value of the four hex digits at off(SI)(AX*1),
// negative if any is not one; R10 holds ·hexVal. It uses DX.
#define HEX4(off, reg) \
	MOVBLZX	off(SI)(AX*1), reg \
	MOVBQSX	(R10)(reg*1), reg \
	MOVBLZX	off+1(SI)(AX*1), DX \
	MOVBQSX	(R10)(DX*1), DX \
	SHLQ	$4, reg \
	ORQ	DX, reg \
	MOVBLZX	off+2(SI)(AX*1), DX \
	MOVBQSX	(R10)(DX*1), DX \
	SHLQ	$4, reg \
	ORQ	DX, reg \
	MOVBLZX	off+3(SI)(AX*1), DX \
	MOVBQSX	(R10)(DX*1), DX \
	SHLQ	$4, reg \
	ORQ	DX, reg

// scanConsts: sixteen bytes of 0x02, of 0x21 and of '\\'.
DATA scanConsts<>+0(SB)/8, $0x0202020202020202
DATA scanConsts<>+8(SB)/8, $0x0202020202020202
DATA scanConsts<>+16(SB)/8, $0x2121212121212121
DATA scanConsts<>+24(SB)/8, $0x2121212121212121
DATA scanConsts<>+32(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA scanConsts<>+40(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL scanConsts<>(SB), RODATA|NOPTR, $48

// func stopIndex(b []byte) int
//
// Sixteen bytes at a time with SSE2 (every amd64 has it): a byte stops the
// scan when it is '"', '\\', below 0x20 or 0x80 and up. Flipping bit 1
// maps '"' to 0x20 and control characters among themselves, and makes no
// other byte below 0x21, so one signed comparison with 0x21 finds those
// three kinds (bytes of 0x80 and up are negative), and one equality the
// backslash.
TEXT ·stopIndex(SB), NOSPLIT, $0-32
	MOVQ	b_base+0(FP), SI
	MOVQ	b_len+8(FP), CX
	XORQ	AX, AX
	MOVOU	scanConsts<>+0(SB), X1
	MOVOU	scanConsts<>+16(SB), X2
	MOVOU	scanConsts<>+32(SB), X3
	LEAQ	-16(CX), R8

loop:
	CMPQ	AX, R8
	JGT	tail
	MOVOU	(SI)(AX*1), X0
	MOVOU	X0, X4
	PXOR	X1, X4
	MOVOU	X2, X5
	PCMPGTB	X4, X5
	PCMPEQB	X3, X0
	POR	X0, X5
	PMOVMSKB X5, DX
	TESTL	DX, DX
	JNZ	found
	ADDQ	$16, AX
	JMP	loop

found:
	BSFL	DX, DX
	ADDQ	DX, AX
	MOVQ	AX, ret+24(FP)
	RET

tail:
	CMPQ	AX, CX
	JGE	done
	MOVBLZX	(SI)(AX*1), DX
	CMPL	DX, $0x22
	JEQ	done
	CMPL	DX, $0x5c
	JEQ	done
	CMPL	DX, $0x20
	JLT	done
	CMPL	DX, $0x80
	JGE	done
	INCQ	AX
	JMP	tail

done:
	MOVQ	AX, ret+24(FP)
	RET

// func unescapeFast(out, b []byte, i int) (res []byte, j int)
//
// Copies sixteen bytes of b at a time to the free end of out and keeps
// those before the first one that stops the scan (as in stopIndex). From
// that byte, with eight bytes of input at hand, it decodes the one-letter
// escapes, \uXXXX (surrogates only in pairs) and valid multi-byte UTF-8
// (utf8Starts: n at offset 0, lo at 1, span at 2, cont at 4, eight bytes
// an entry), and
// goes straight on to the next such byte if one follows; it returns at
// anything else, the closing quote included, and when fewer than 16 bytes
// of input or 32 of room in out are left. Room: a step starts with 32
// bytes free and writes at most 16 + 8 bytes, the stopping byte being
// within the sixteen.
TEXT ·unescapeFast(SB), NOSPLIT, $0-88
	MOVQ	out_base+0(FP), DI
	MOVQ	out_len+8(FP), BX
	MOVQ	out_cap+16(FP), R8
	MOVQ	b_base+24(FP), SI
	MOVQ	b_len+32(FP), CX
	MOVQ	i+48(FP), AX
	MOVOU	scanConsts<>+0(SB), X1
	MOVOU	scanConsts<>+16(SB), X2
	MOVOU	scanConsts<>+32(SB), X3
	LEAQ	-16(CX), R12 // the last i a step may start at
	LEAQ	-32(R8), R13 // the last len(out) a step may start at

uloop:
	CMPQ	AX, R12
	JGT	udone
	CMPQ	BX, R13
	JGT	udone
	JMP	uload

	// After an escape or a character: another one may follow at once.
unext:
	CMPQ	AX, R12
	JGT	udone
	CMPQ	BX, R13
	JGT	udone
	MOVBLZX	(SI)(AX*1), R9
	CMPL	R9, $0x5c
	JEQ	uescape
	CMPL	R9, $0x80
	JAE	uutf8

uload:
	MOVOU	(SI)(AX*1), X0
	MOVOU	X0, (DI)(BX*1)
	MOVOU	X0, X4
	PXOR	X1, X4
	MOVOU	X2, X5
	PCMPGTB	X4, X5 // '"', control characters, 0x80 and up (see stopIndex)
	PCMPEQB	X3, X0 // '\\'
	POR	X0, X5
	PMOVMSKB X5, DX
	TESTL	DX, DX
	JNZ	ustop
	ADDQ	$16, AX
	ADDQ	$16, BX
	JMP	uloop

ustop:
	BSFL	DX, DX
	ADDQ	DX, AX
	ADDQ	DX, BX
	CMPL	DX, $8
	JLE	uat // at least eight bytes of input left
	MOVQ	CX, DX
	SUBQ	AX, DX
	CMPQ	DX, $8
	JLT	udone

uat:
	MOVBLZX	(SI)(AX*1), R9
	CMPL	R9, $0x5c
	JEQ	uescape
	CMPL	R9, $0x80
	JLT	udone // '"' or a control character

	// Multi-byte UTF-8 led by R9: the second byte in lo..lo+span, the
	// third and fourth (for longer sequences) 10xxxxxx, n > 0. Eight
	// bytes of input and of room from here.
uutf8:
	LEAQ	·utf8Starts(SB), R10
	LEAQ	(R10)(R9*8), R10
	MOVB	1(SI)(AX*1), R11
	SUBB	1(R10), R11
	CMPB	R11, 2(R10)
	JA	udone
	MOVL	4(R10), DX
	MOVL	(SI)(AX*1), R11
	ANDL	DX, R11
	ANDL	$0x80808080, DX
	CMPL	R11, DX
	JNE	udone
	MOVBLZX	(R10), DX
	TESTL	DX, DX
	JZ	udone
	MOVQ	(SI)(AX*1), R11
	MOVQ	R11, (DI)(BX*1)
	ADDQ	DX, AX
	ADDQ	DX, BX
	JMP	unext

uescape:
	MOVL	(SI)(AX*1), R11
	CMPL	R11, $0x3030755c // `\u00`
	JNE	usimple
	LEAQ	·hexVal(SB), R10
	MOVBLZX	4(SI)(AX*1), R11
	MOVBQSX	(R10)(R11*1), R11
	CMPQ	R11, $7
	JA	uhex // not 0-7 (-1 compares above): not ASCII, or not hex
	MOVBLZX	5(SI)(AX*1), DX
	MOVBQSX	(R10)(DX*1), DX
	TESTQ	DX, DX
	JS	udone
	SHLQ	$4, R11
	ORQ	DX, R11
	MOVB	R11, (DI)(BX*1)
	ADDQ	$6, AX
	INCQ	BX
	JMP	unext

usimple:
	LEAQ	·simpleEscape(SB), R10
	MOVBLZX	1(SI)(AX*1), R11
	MOVBLZX	(R10)(R11*1), R10
	TESTL	R10, R10
	JZ	uunicode
	MOVB	R10, (DI)(BX*1)
	ADDQ	$2, AX
	INCQ	BX
	JMP	unext

	// Any other \uXXXX: R11 gets the code unit (negative if a digit is
	// not hex), written as UTF-8; a high surrogate only with the low one
	// of its pair right after it. The rest (lone or unpaired surrogates,
	// bad escapes) is left to the Go step. At most 4 bytes written.
uunicode:
	CMPL	R11, $0x75 // 'u'
	JNE	udone
	LEAQ	·hexVal(SB), R10

uhex: // R10 holds ·hexVal
	HEX4(2, R11)
	TESTQ	R11, R11
	JS	udone
	CMPQ	R11, $0x80
	JLT	uone
	CMPQ	R11, $0x800
	JLT	utwo
	MOVQ	R11, DX
	ANDQ	$0xf800, DX
	CMPQ	DX, $0xd800
	JEQ	usurrogate
	MOVQ	R11, DX
	SHRQ	$12, DX
	ORQ	$0xe0, DX
	MOVB	DX, (DI)(BX*1)
	MOVQ	R11, DX
	SHRQ	$6, DX
	ANDQ	$0x3f, DX
	ORQ	$0x80, DX
	MOVB	DX, 1(DI)(BX*1)
	ANDQ	$0x3f, R11
	ORQ	$0x80, R11
	MOVB	R11, 2(DI)(BX*1)
	ADDQ	$6, AX
	ADDQ	$3, BX
	JMP	unext

utwo:
	MOVQ	R11, DX
	SHRQ	$6, DX
	ORQ	$0xc0, DX
	MOVB	DX, (DI)(BX*1)
	ANDQ	$0x3f, R11
	ORQ	$0x80, R11
	MOVB	R11, 1(DI)(BX*1)
	ADDQ	$6, AX
	ADDQ	$2, BX
	JMP	unext

uone:
	MOVB	R11, (DI)(BX*1)
	ADDQ	$6, AX
	INCQ	BX
	JMP	unext

usurrogate:
	CMPQ	R11, $0xdc00
	JGE	udone // a low surrogate first
	MOVQ	CX, DX
	SUBQ	AX, DX
	CMPQ	DX, $12
	JLT	udone
	MOVWLZX	6(SI)(AX*1), DX
	CMPL	DX, $0x755c // `\u`
	JNE	udone
	HEX4(8, R9)
	SUBQ	$0xdc00, R9
	CMPQ	R9, $0x3ff
	JA	udone // not a low surrogate, or not hex (negative)
	SUBQ	$0xd800, R11
	SHLQ	$10, R11
	ADDQ	R9, R11
	ADDQ	$0x10000, R11
	MOVQ	R11, DX
	SHRQ	$18, DX
	ORQ	$0xf0, DX
	MOVB	DX, (DI)(BX*1)
	MOVQ	R11, DX
	SHRQ	$12, DX
	ANDQ	$0x3f, DX
	ORQ	$0x80, DX
	MOVB	DX, 1(DI)(BX*1)
	MOVQ	R11, DX
	SHRQ	$6, DX
	ANDQ	$0x3f, DX
	ORQ	$0x80, DX
	MOVB	DX, 2(DI)(BX*1)
	ANDQ	$0x3f, R11
	ORQ	$0x80, R11
	MOVB	R11, 3(DI)(BX*1)
	ADDQ	$12, AX
	ADDQ	$4, BX
	JMP	unext

udone:
	MOVQ	DI, res_base+56(FP)
	MOVQ	BX, res_len+64(FP)
	MOVQ	R8, res_cap+72(FP)
	MOVQ	AX, j+80(FP)
	RET
