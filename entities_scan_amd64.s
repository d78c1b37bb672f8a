//go:build !purego

#include "textflag.h"

// func stopIndex(b []byte) int
//
// Sixteen bytes at a time with SSE2 (every amd64 has it): a byte stops the
// scan when it is '"', '\\', below 0x20 or 0x80 and up.
TEXT ·stopIndex(SB), NOSPLIT, $0-32
	MOVQ	b_base+0(FP), SI
	MOVQ	b_len+8(FP), CX
	XORQ	AX, AX
	MOVQ	$0x2222222222222222, DX
	MOVQ	DX, X1
	PUNPCKLQDQ X1, X1
	MOVQ	$0x5c5c5c5c5c5c5c5c, DX
	MOVQ	DX, X2
	PUNPCKLQDQ X2, X2
	MOVQ	$0x1f1f1f1f1f1f1f1f, DX
	MOVQ	DX, X3
	PUNPCKLQDQ X3, X3

loop:
	MOVQ	CX, DX
	SUBQ	AX, DX
	CMPQ	DX, $16
	JLT	tail
	MOVOU	(SI)(AX*1), X0
	MOVOU	X0, X4
	PCMPEQB	X1, X4 // '"'
	MOVOU	X0, X5
	PCMPEQB	X2, X5 // '\\'
	POR	X5, X4
	MOVOU	X0, X6
	PMINUB	X3, X6
	PCMPEQB	X0, X6 // below 0x20: min(c, 0x1f) == c
	POR	X6, X4
	PMOVMSKB X4, DX
	PMOVMSKB X0, BX // 0x80 and up: the top bit
	ORL	BX, DX
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
// escapes, \u00XX below 0x80 and valid multi-byte UTF-8 (utf8Starts: n at
// offset 0, lo at 1, span at 2, cont at 4, eight bytes an entry) and goes
// on; it returns at anything else, the closing quote included, and when
// fewer than 16 bytes of input or 32 of room in out are left. Room: a step
// starts with 32 bytes free and writes at most 16 + 8 bytes, the stopping
// byte being within the sixteen.
TEXT ·unescapeFast(SB), NOSPLIT, $0-88
	MOVQ	out_base+0(FP), DI
	MOVQ	out_len+8(FP), BX
	MOVQ	out_cap+16(FP), R8
	MOVQ	b_base+24(FP), SI
	MOVQ	b_len+32(FP), CX
	MOVQ	i+48(FP), AX
	MOVQ	$0x2222222222222222, DX
	MOVQ	DX, X1
	PUNPCKLQDQ X1, X1
	MOVQ	$0x5c5c5c5c5c5c5c5c, DX
	MOVQ	DX, X2
	PUNPCKLQDQ X2, X2
	MOVQ	$0x1f1f1f1f1f1f1f1f, DX
	MOVQ	DX, X3
	PUNPCKLQDQ X3, X3

uloop:
	MOVQ	CX, DX
	SUBQ	AX, DX
	CMPQ	DX, $16
	JLT	udone
	MOVQ	R8, DX
	SUBQ	BX, DX
	CMPQ	DX, $32
	JLT	udone
	MOVOU	(SI)(AX*1), X0
	MOVOU	X0, (DI)(BX*1)
	MOVOU	X0, X4
	PCMPEQB	X1, X4 // '"'
	MOVOU	X0, X5
	PCMPEQB	X2, X5 // '\\'
	POR	X5, X4
	MOVOU	X0, X6
	PMINUB	X3, X6
	PCMPEQB	X0, X6 // below 0x20
	POR	X6, X4
	PMOVMSKB X4, DX
	PMOVMSKB X0, R9 // 0x80 and up
	ORL	R9, DX
	TESTL	DX, DX
	JNZ	ustop
	ADDQ	$16, AX
	ADDQ	$16, BX
	JMP	uloop

ustop:
	BSFL	DX, DX
	ADDQ	DX, AX
	ADDQ	DX, BX
	MOVQ	CX, DX
	SUBQ	AX, DX
	CMPQ	DX, $8
	JLT	udone
	MOVBLZX	(SI)(AX*1), R9
	CMPL	R9, $0x5c
	JEQ	uescape
	CMPL	R9, $0x80
	JLT	udone // '"' or a control character

	// Multi-byte UTF-8: the second byte in lo..lo+span, the third and
	// fourth (for longer sequences) 10xxxxxx, n > 0.
	LEAQ	·utf8Starts(SB), R10
	LEAQ	(R10)(R9*8), R10
	MOVBLZX	1(SI)(AX*1), R11
	MOVBLZX	1(R10), R12
	SUBL	R12, R11
	ANDL	$0xff, R11
	MOVBLZX	2(R10), R12
	CMPL	R11, R12
	JA	udone
	MOVL	4(R10), R12
	MOVL	(SI)(AX*1), R11
	ANDL	R12, R11
	ANDL	$0x80808080, R12
	CMPL	R11, R12
	JNE	udone
	MOVBLZX	(R10), R12
	TESTL	R12, R12
	JZ	udone
	MOVQ	(SI)(AX*1), R11
	MOVQ	R11, (DI)(BX*1)
	ADDQ	R12, AX
	ADDQ	R12, BX
	JMP	uloop

uescape:
	MOVL	(SI)(AX*1), R11
	CMPL	R11, $0x3030755c // `\u00`
	JNE	usimple
	LEAQ	·hexVal(SB), R10
	MOVBLZX	4(SI)(AX*1), R11
	MOVBQSX	(R10)(R11*1), R11
	CMPQ	R11, $7
	JA	udone // not 0-7 (-1 compares above): not ASCII, or not hex
	MOVBLZX	5(SI)(AX*1), R12
	MOVBQSX	(R10)(R12*1), R12
	TESTQ	R12, R12
	JS	udone
	SHLQ	$4, R11
	ORQ	R12, R11
	MOVB	R11, (DI)(BX*1)
	ADDQ	$6, AX
	INCQ	BX
	JMP	uloop

usimple:
	LEAQ	·simpleEscape(SB), R10
	MOVBLZX	1(SI)(AX*1), R11
	MOVBLZX	(R10)(R11*1), R11
	TESTL	R11, R11
	JZ	udone
	MOVB	R11, (DI)(BX*1)
	ADDQ	$2, AX
	INCQ	BX
	JMP	uloop

udone:
	MOVQ	DI, res_base+56(FP)
	MOVQ	BX, res_len+64(FP)
	MOVQ	R8, res_cap+72(FP)
	MOVQ	AX, j+80(FP)
	RET
