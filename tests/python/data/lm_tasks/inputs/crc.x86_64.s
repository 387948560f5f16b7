	.text
	.file	"crc.c"
	.globl	crc32                           # -- Begin function crc32
	.type	crc32,@function
crc32:                                  # @crc32
	.cfi_startproc
# %bb.0:
	pushq	%rbx
	.cfi_def_cfa_offset 16
	.cfi_offset %rbx, -16
	movl	%edi, %eax
	cmpb	$0, ready(%rip)
	jne	.LBB0_8
# %bb.1:
	xorl	%ecx, %ecx
	movl	$8, %edi
	leaq	table(%rip), %r8
.LBB0_2:                                # =>This Loop Header: Depth=1
                                        #     Child Loop BB0_4 Depth 2
	cmpq	$256, %rcx                      # imm = 0x100
	je	.LBB0_7
# %bb.3:                                #   in Loop: Header=BB0_2 Depth=1
	movl	%edi, %r9d
	movl	%ecx, %r10d
.LBB0_4:                                #   Parent Loop BB0_2 Depth=1
                                        # =>  This Inner Loop Header: Depth=2
	subl	$1, %r9d
	jb	.LBB0_5
# %bb.6:                                #   in Loop: Header=BB0_4 Depth=2
	movl	%r10d, %r11d
	shrl	%r11d
	movl	%r11d, %ebx
	xorl	$-306674912, %ebx               # imm = 0xEDB88320
	testb	$1, %r10b
	cmovel	%r11d, %ebx
	movl	%ebx, %r10d
	jmp	.LBB0_4
.LBB0_5:                                #   in Loop: Header=BB0_2 Depth=1
	movl	%r10d, (%r8,%rcx,4)
	incq	%rcx
	jmp	.LBB0_2
.LBB0_7:
	movb	$1, ready(%rip)
.LBB0_8:
	notl	%eax
	leaq	table(%rip), %rcx
.LBB0_9:                                # =>This Inner Loop Header: Depth=1
	cmpq	$3, %rdx
	jbe	.LBB0_10
# %bb.14:                               #   in Loop: Header=BB0_9 Depth=1
	movb	(%rsi), %dil
	xorb	%al, %dil
	movzbl	%dil, %edi
	shrl	$8, %eax
	xorl	(%rcx,%rdi,4), %eax
	movb	1(%rsi), %dil
	xorb	%al, %dil
	movzbl	%dil, %edi
	shrl	$8, %eax
	xorl	(%rcx,%rdi,4), %eax
	movb	2(%rsi), %dil
	xorb	%al, %dil
	movzbl	%dil, %edi
	shrl	$8, %eax
	xorl	(%rcx,%rdi,4), %eax
	movb	3(%rsi), %dil
	xorb	%al, %dil
	movzbl	%dil, %edi
	shrl	$8, %eax
	xorl	(%rcx,%rdi,4), %eax
	addq	$4, %rsi
	addq	$-4, %rdx
	jmp	.LBB0_9
.LBB0_10:
	xorl	%edi, %edi
.LBB0_11:                               # =>This Inner Loop Header: Depth=1
	cmpq	%rdi, %rdx
	je	.LBB0_13
# %bb.12:                               #   in Loop: Header=BB0_11 Depth=1
	movb	(%rsi,%rdi), %r8b
	xorb	%al, %r8b
	movzbl	%r8b, %r8d
	shrl	$8, %eax
	xorl	(%rcx,%r8,4), %eax
	incq	%rdi
	jmp	.LBB0_11
.LBB0_13:
	notl	%eax
	popq	%rbx
	.cfi_def_cfa_offset 8
	retq
.Lfunc_end0:
	.size	crc32, .Lfunc_end0-crc32
	.cfi_endproc
                                        # -- End function
	.globl	adler32                         # -- Begin function adler32
	.type	adler32,@function
adler32:                                # @adler32
	.cfi_startproc
# %bb.0:
	movq	%rdx, %rcx
	movl	%edi, %r8d
	movzwl	%r8w, %edi
	shrl	$16, %r8d
	xorl	%r9d, %r9d
	movl	$65521, %r10d                   # imm = 0xFFF1
.LBB1_1:                                # =>This Inner Loop Header: Depth=1
	cmpq	%r9, %rcx
	je	.LBB1_2
# %bb.3:                                #   in Loop: Header=BB1_1 Depth=1
	movzbl	(%rsi,%r9), %eax
	addl	%eax, %edi
	movl	%edi, %eax
	xorl	%edx, %edx
	divl	%r10d
	movl	%edx, %edi
	addl	%edx, %r8d
	movl	%r8d, %eax
	xorl	%edx, %edx
	divl	%r10d
	incq	%r9
	movl	%edx, %r8d
	jmp	.LBB1_1
.LBB1_2:
	shll	$16, %r8d
	orl	%edi, %r8d
	movl	%r8d, %eax
	retq
.Lfunc_end1:
	.size	adler32, .Lfunc_end1-adler32
	.cfi_endproc
                                        # -- End function
	.type	ready,@object                   # @ready
	.local	ready
	.comm	ready,1,4
	.type	table,@object                   # @table
	.local	table
	.comm	table,1024,16
	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",@progbits
	.addrsig
