//go:build !purego

#include "textflag.h"

// func copyRunBlocks(out []byte, w int, b []byte, i int) (int, int, bool)
//
// Sixteen bytes at a time with SSE2. A block whose only stops are simple
// escapes (\", \\, \/) is stored whole at out[w:], and then for each
// escape, in order, the 16 bytes after its backslash are stored one place
// further back than the previous ones: the loads and stores of one block
// depend on its masks only, not on each other, so blocks go at the
// processor's pace rather than one escape after another. Any other block
// takes a single step: bytes up to its first stop are copied, a simple
// escape resolved, and the loop goes on after it; any other stop ends the
// run there. The last 31 bytes of b (and of out) are left to single
// steps and those of the last 17 to the Go tail loop, so no load or store
// leaves either slice. The flag ORs the top bits of every block loaded:
// bytes of 0x80 and up were (or may have been) copied.
TEXT ·copyRunBlocks(SB), NOSPLIT, $0-81
	MOVQ	out_base+0(FP), DI
	MOVQ	out_len+8(FP), R8
	MOVQ	w+24(FP), DX
	MOVQ	b_base+32(FP), SI
	MOVQ	b_len+40(FP), R9
	MOVQ	i+56(FP), CX
	MOVQ	R9, R12
	SUBQ	$32, R12 // last i for a whole block step: b[i+k+1:i+k+17] inside b
	MOVQ	R8, R13
	SUBQ	$31, R13 // last w for a whole block step: out[w+k:w+k+16] inside out
	SUBQ	$17, R9  // last i for a single step: b[i:i+17] inside b
	SUBQ	$16, R8  // last w for a single step: out[w:w+16] inside out
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
	TESTQ	CX, CX
	JLT	done
	TESTQ	DX, DX
	JLT	done

top:
	// Signed: i and w only grow from where they started, at 0 or more;
	// the limits may be negative.
	CMPQ	CX, R12
	JGT	single
	CMPQ	DX, R13
	JGT	single
	MOVOU	(SI)(CX*1), X0
	POR	X0, X7
	MOVOU	X0, X4
	PCMPEQB	X1, X4 // '"'
	PMOVMSKB X4, AX
	MOVOU	X0, X5
	PCMPEQB	X2, X5 // '\\'
	PMOVMSKB X5, BX
	MOVOU	X0, X6
	PMINUB	X3, X6
	PCMPEQB	X0, X6 // below 0x20: min(c, 0x1f) == c
	PMOVMSKB X6, R11
	MOVOU	X0, (DI)(DX*1)
	TESTL	R11, R11
	JNZ	single
	MOVL	AX, R11
	ORL	BX, R11
	JNZ	escapes
	ADDQ	$16, CX
	ADDQ	$16, DX
	JMP	top

escapes:
	// BX: backslashes still to look at; AX: quotes not yet known to be
	// escaped; R10: escapes so far; R15: backslash position k; R14: the
	// byte after it.
	XORL	R10, R10
	LEAQ	(SI)(CX*1), R11 // the block in b

esc:
	TESTL	BX, BX
	JZ	blockdone
	BSFL	BX, R15
	CMPL	R15, $15
	JEQ	bail // the escaped byte is in the next block
	BTRL	R15, BX
	MOVBLZX	1(R11)(R15*1), R14
	INCL	R15 // k+1, the escaped byte
	CMPL	R14, $0x22
	JEQ	quote
	CMPL	R14, $0x5c
	JEQ	backslash
	CMPL	R14, $0x2f
	JNE	bail
	JMP	shift

quote:
	BTRL	R15, AX
	JMP	shift

backslash:
	BTRL	R15, BX

shift:
	// Bytes from k+1 on go to out[w+k+1-escapes].
	INCQ	R10
	MOVOU	(R11)(R15*1), X0
	LEAQ	(DI)(DX*1), R14
	SUBQ	R10, R14
	MOVOU	X0, (R14)(R15*1)
	JMP	esc

blockdone:
	TESTL	AX, AX
	JNZ	bail // a quote that ends the string
	ADDQ	$16, CX
	ADDQ	$16, DX
	SUBQ	R10, DX
	JMP	top

bail:
single:
	CMPQ	CX, R9
	JGT	done
	CMPQ	DX, R8
	JGT	done
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
	PCMPEQB	X0, X6 // below 0x20
	POR	X6, X4
	PMOVMSKB X4, AX
	TESTL	AX, AX
	JNZ	stop
	ADDQ	$16, CX
	ADDQ	$16, DX
	JMP	top

stop:
	BSFL	AX, AX
	ADDQ	AX, DX // w at the byte
	ADDQ	AX, CX // i at the byte
	MOVWLZX	(SI)(CX*1), BX // inside b: i+1 <= old i+16 < len(b)
	CMPL	BX, $0x225c // \" (little-endian), the usual escape
	JEQ	squote
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
	JMP	top

squote:
	MOVB	$0x22, (DI)(DX*1)
	INCQ	DX
	ADDQ	$2, CX
	JMP	top

done:
	MOVQ	DX, ret+64(FP)
	MOVQ	CX, ret1+72(FP)
	PMOVMSKB X7, AX
	TESTL	AX, AX
	SETNE	ret2+80(FP)
	RET
