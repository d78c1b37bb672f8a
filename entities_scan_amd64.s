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
