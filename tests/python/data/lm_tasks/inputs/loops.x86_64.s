	.text
	.file	"loops.c"
	.globl	sum                             # -- Begin function sum
	.type	sum,@function
sum:                                    # @sum
	.cfi_startproc
# %bb.0:
                                        # kill: def $esi killed $esi def $rsi
	xorl	%ecx, %ecx
	testl	%esi, %esi
	cmovlel	%ecx, %esi
	xorl	%eax, %eax
.LBB0_1:                                # =>This Inner Loop Header: Depth=1
	cmpq	%rcx, %rsi
	je	.LBB0_2
# %bb.3:                                #   in Loop: Header=BB0_1 Depth=1
	imull	$3, (%rdi,%rcx,4), %edx
	addl	%edx, %eax
	incq	%rcx
	jmp	.LBB0_1
.LBB0_2:
	retq
.Lfunc_end0:
	.size	sum, .Lfunc_end0-sum
	.cfi_endproc
                                        # -- End function
	.globl	work                            # -- Begin function work
	.type	work,@function
work:                                   # @work
	.cfi_startproc
# %bb.0:
	pushq	%rbp
	.cfi_def_cfa_offset 16
	pushq	%r15
	.cfi_def_cfa_offset 24
	pushq	%r14
	.cfi_def_cfa_offset 32
	pushq	%rbx
	.cfi_def_cfa_offset 40
	pushq	%rax
	.cfi_def_cfa_offset 48
	.cfi_offset %rbx, -40
	.cfi_offset %r14, -32
	.cfi_offset %r15, -24
	.cfi_offset %rbp, -16
	callq	strlen@PLT
	movq	%rax, %rbx
	xorl	%eax, %eax
	leaq	table(%rip), %rcx
	xorl	%edx, %edx
.LBB1_1:                                # =>This Inner Loop Header: Depth=1
	cmpq	$256, %rdx                      # imm = 0x100
	je	.LBB1_2
# %bb.3:                                #   in Loop: Header=BB1_1 Depth=1
	movl	%eax, (%rdx,%rcx)
	addq	$4, %rdx
	addl	%ebx, %eax
	jmp	.LBB1_1
.LBB1_2:
	leaq	table(%rip), %r14
	pushq	$64
	.cfi_adjust_cfa_offset 8
	popq	%rbp
	.cfi_adjust_cfa_offset -8
	movq	%r14, %rdi
	movl	%ebp, %esi
	callq	sum
	movl	%eax, %r15d
	movl	%ebx, %eax
	cltd
	idivl	%ebp
	movq	%r14, %rdi
	movl	%edx, %esi
	callq	sum
	addl	%r15d, %eax
	addq	$8, %rsp
	.cfi_def_cfa_offset 40
	popq	%rbx
	.cfi_def_cfa_offset 32
	popq	%r14
	.cfi_def_cfa_offset 24
	popq	%r15
	.cfi_def_cfa_offset 16
	popq	%rbp
	.cfi_def_cfa_offset 8
	retq
.Lfunc_end1:
	.size	work, .Lfunc_end1-work
	.cfi_endproc
                                        # -- End function
	.globl	main                            # -- Begin function main
	.type	main,@function
main:                                   # @main
	.cfi_startproc
# %bb.0:
	pushq	%rax
	.cfi_def_cfa_offset 16
	movq	(%rsi), %rdi
	callq	work
	movzbl	%al, %eax
	popq	%rcx
	.cfi_def_cfa_offset 8
	retq
.Lfunc_end2:
	.size	main, .Lfunc_end2-main
	.cfi_endproc
                                        # -- End function
	.type	table,@object                   # @table
	.local	table
	.comm	table,256,16
	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",@progbits
	.addrsig
	.addrsig_sym table
