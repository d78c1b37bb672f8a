//go:build !purego

#include "textflag.h"

// func copyRunBlocks(out []byte, w int, b []byte, i int) (int, int, bool)
//
// Sixteen bytes at a time with SSE2: each block of b is stored whole at
// out[w:], and w and i move past it when it holds no quote, backslash or
// control character. At the first such byte: a backslash followed by '"',
// '\\' or '/' leaves that byte in the backslash's place and the loop goes
// on after the escape; anything else ends the run there. The last 16
// bytes of b (and of out) are left to the Go tail loop, so no load or
// store leaves either slice. The flag ORs the top bits of every block
// loaded: bytes of 0x80 and up were (or may have been) copied.
TEXT ·copyRunBlocks(SB), NOSPLIT, $0-81
	MOVQ	out_base+0(FP), DI
	MOVQ	out_len+8(FP), R8
	MOVQ	w+24(FP), DX
	MOVQ	b_base+32(FP), SI
	MOVQ	b_len+40(FP), R9
	MOVQ	i+56(FP), CX
	SUBQ	$17, R9 // last i with b[i:i+17] inside b
	SUBQ	$16, R8 // last w with out[w:w+16] inside out
	MOVQ	$0x2222222222222222, AX
	MOVQ	AX, X1
	PUNPCKLQDQ X1, X1
	MOVQ	$0x5c5c5c5c5c5c5c5c, AX
	MOVQ	AX, X2
	PUNPCKLQDQ X2, X2
	MOVQ	$0x1f1f1f1f1f1f1f1f, AX
	MOVQ	AX, X3
	PUNPCKLQDQ X3, X3
	PXOR	X7, X7

	TESTQ	R9, R9
	JLT	done
	TESTQ	R8, R8
	JLT	done

loop:
	// Unsigned: a negative i or w is past the end too.
	CMPQ	CX, R9
	JHI	done
	CMPQ	DX, R8
	JHI	done
	MOVOU	(SI)(CX*1), X0
	MOVOU	X0, (DI)(DX*1)
	POR	X0, X7
	MOVOU	X0, X4
	PCMPEQB	X1, X4 // '"'
	MOVOU	X0, X5
	PCMPEQB	X2, X5 // '\\'
	POR	X5, X4
	MOVOU	X0, X6
	PMINUB	X3, X6
	PCMPEQB	X0, X6 // below 0x20: min(c, 0x1f) == c
	POR	X6, X4
	PMOVMSKB X4, AX
	TESTL	AX, AX
	JNZ	stop
	ADDQ	$16, CX
	ADDQ	$16, DX
	JMP	loop

stop:
	BSFL	AX, AX
	ADDQ	AX, DX // w at the byte
	ADDQ	AX, CX // i at the byte
	MOVWLZX	(SI)(CX*1), BX // inside b: i+1 <= old i+16 < len(b)
	CMPL	BX, $0x225c // \" (little-endian), the usual escape
	JEQ	quote
	CMPB	BX, $0x5c
	JNE	done
	SHRL	$8, BX
	CMPL	BX, $0x5c
	JEQ	simple
	CMPL	BX, $0x2f
	JNE	done

simple:
	MOVB	BX, (DI)(DX*1)
	INCQ	DX
	ADDQ	$2, CX
	JMP	loop

quote:
	MOVB	$0x22, (DI)(DX*1)
	INCQ	DX
	ADDQ	$2, CX
	JMP	loop

done:
	MOVQ	DX, ret+64(FP)
	MOVQ	CX, ret1+72(FP)
	PMOVMSKB X7, AX
	TESTL	AX, AX
	SETNE	ret2+80(FP)
	RET
