	.text
	.file	"matrix.c"
	.globl	mat_mul                         # -- Begin function mat_mul
	.type	mat_mul,@function
mat_mul:                                # @mat_mul
	.cfi_startproc
# %bb.0:
	xorl	%eax, %eax
.LBB0_1:                                # =>This Loop Header: Depth=1
                                        #     Child Loop BB0_3 Depth 2
                                        #       Child Loop BB0_5 Depth 3
	cmpq	$24, %rax
	je	.LBB0_8
# %bb.2:                                #   in Loop: Header=BB0_1 Depth=1
	imulq	$192, %rax, %rcx
	addq	%rdx, %rcx
	movq	%rsi, %r8
	xorl	%r9d, %r9d
.LBB0_3:                                #   Parent Loop BB0_1 Depth=1
                                        # =>  This Loop Header: Depth=2
                                        #       Child Loop BB0_5 Depth 3
	cmpq	$24, %r9
	je	.LBB0_9
# %bb.4:                                #   in Loop: Header=BB0_3 Depth=2
	xorpd	%xmm0, %xmm0
	movq	%r8, %r10
	xorl	%r11d, %r11d
.LBB0_5:                                #   Parent Loop BB0_1 Depth=1
                                        #     Parent Loop BB0_3 Depth=2
                                        # =>    This Inner Loop Header: Depth=3
	cmpq	$24, %r11
	je	.LBB0_6
# %bb.7:                                #   in Loop: Header=BB0_5 Depth=3
	movsd	(%rdi,%r11,8), %xmm1            # xmm1 = mem[0],zero
	mulsd	(%r10), %xmm1
	addsd	%xmm1, %xmm0
	incq	%r11
	addq	$192, %r10
	jmp	.LBB0_5
.LBB0_6:                                #   in Loop: Header=BB0_3 Depth=2
	movsd	%xmm0, (%rcx,%r9,8)
	incq	%r9
	addq	$8, %r8
	jmp	.LBB0_3
.LBB0_9:                                #   in Loop: Header=BB0_1 Depth=1
	incq	%rax
	addq	$192, %rdi
	jmp	.LBB0_1
.LBB0_8:
	retq
.Lfunc_end0:
	.size	mat_mul, .Lfunc_end0-mat_mul
	.cfi_endproc
                                        # -- End function
	.globl	mat_transpose                   # -- Begin function mat_transpose
	.type	mat_transpose,@function
mat_transpose:                          # @mat_transpose
	.cfi_startproc
# %bb.0:
	leaq	8(%rdi), %rax
	addq	$192, %rdi
	xorl	%ecx, %ecx
	pushq	$1
	.cfi_adjust_cfa_offset 8
	popq	%rdx
	.cfi_adjust_cfa_offset -8
	movl	$200, %esi
.LBB1_2:                                # =>This Loop Header: Depth=1
                                        #     Child Loop BB1_4 Depth 2
	cmpq	$24, %rcx
	je	.LBB1_6
# %bb.3:                                #   in Loop: Header=BB1_2 Depth=1
	movq	%rdi, %r8
	movq	%rdx, %r9
.LBB1_4:                                #   Parent Loop BB1_2 Depth=1
                                        # =>  This Inner Loop Header: Depth=2
	leaq	(%rcx,%r9), %r10
	cmpq	$24, %r10
	je	.LBB1_1
# %bb.5:                                #   in Loop: Header=BB1_4 Depth=2
	movsd	-8(%rax,%r9,8), %xmm0           # xmm0 = mem[0],zero
	movsd	(%r8), %xmm1                    # xmm1 = mem[0],zero
	movsd	%xmm1, -8(%rax,%r9,8)
	movsd	%xmm0, (%r8)
	incq	%r9
	addq	$192, %r8
	jmp	.LBB1_4
.LBB1_1:                                #   in Loop: Header=BB1_2 Depth=1
	incq	%rcx
	addq	%rsi, %rax
	addq	%rsi, %rdi
	jmp	.LBB1_2
.LBB1_6:
	retq
.Lfunc_end1:
	.size	mat_transpose, .Lfunc_end1-mat_transpose
	.cfi_endproc
                                        # -- End function
	.globl	mat_trace                       # -- Begin function mat_trace
	.type	mat_trace,@function
mat_trace:                              # @mat_trace
	.cfi_startproc
# %bb.0:
	xorpd	%xmm0, %xmm0
	xorl	%eax, %eax
.LBB2_1:                                # =>This Inner Loop Header: Depth=1
	cmpq	$4800, %rax                     # imm = 0x12C0
	je	.LBB2_2
# %bb.3:                                #   in Loop: Header=BB2_1 Depth=1
	addsd	(%rdi,%rax), %xmm0
	addq	$200, %rax
	jmp	.LBB2_1
.LBB2_2:
	retq
.Lfunc_end2:
	.size	mat_trace, .Lfunc_end2-mat_trace
	.cfi_endproc
                                        # -- End function
	.section	.rodata.cst8,"aM",@progbits,8
	.p2align	3, 0x0                          # -- Begin function mat_checksum
.LCPI3_0:
	.quad	0x4030000000000000              # double 16
	.text
	.globl	mat_checksum
	.type	mat_checksum,@function
mat_checksum:                           # @mat_checksum
	.cfi_startproc
# %bb.0:
	xorl	%ecx, %ecx
	movsd	.LCPI3_0(%rip), %xmm0           # xmm0 = [1.6E+1,0.0E+0]
	xorl	%eax, %eax
.LBB3_1:                                # =>This Loop Header: Depth=1
                                        #     Child Loop BB3_3 Depth 2
	cmpq	$24, %rcx
	je	.LBB3_6
# %bb.2:                                #   in Loop: Header=BB3_1 Depth=1
	xorl	%edx, %edx
.LBB3_3:                                #   Parent Loop BB3_1 Depth=1
                                        # =>  This Inner Loop Header: Depth=2
	cmpq	$24, %rdx
	je	.LBB3_4
# %bb.5:                                #   in Loop: Header=BB3_3 Depth=2
	imulq	$31, %rax, %rsi
	movsd	(%rdi,%rdx,8), %xmm1            # xmm1 = mem[0],zero
	mulsd	%xmm0, %xmm1
	cvttsd2si	%xmm1, %rax
	addq	%rsi, %rax
	incq	%rdx
	jmp	.LBB3_3
.LBB3_4:                                #   in Loop: Header=BB3_1 Depth=1
	incq	%rcx
	addq	$192, %rdi
	jmp	.LBB3_1
.LBB3_6:
	retq
.Lfunc_end3:
	.size	mat_checksum, .Lfunc_end3-mat_checksum
	.cfi_endproc
                                        # -- End function
	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",@progbits
	.addrsig
