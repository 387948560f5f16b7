	.text
	.syntax unified
	.eabi_attribute	67, "2.09"	@ Tag_conformance
	.cpu	cortex-m4
	.eabi_attribute	6, 13	@ Tag_CPU_arch
	.eabi_attribute	7, 77	@ Tag_CPU_arch_profile
	.eabi_attribute	8, 0	@ Tag_ARM_ISA_use
	.eabi_attribute	9, 2	@ Tag_THUMB_ISA_use
	.eabi_attribute	34, 1	@ Tag_CPU_unaligned_access
	.eabi_attribute	17, 1	@ Tag_ABI_PCS_GOT_use
	.eabi_attribute	20, 1	@ Tag_ABI_FP_denormal
	.eabi_attribute	21, 0	@ Tag_ABI_FP_exceptions
	.eabi_attribute	23, 3	@ Tag_ABI_FP_number_model
	.eabi_attribute	24, 1	@ Tag_ABI_align_needed
	.eabi_attribute	25, 1	@ Tag_ABI_align_preserved
	.eabi_attribute	38, 1	@ Tag_ABI_FP_16bit_format
	.eabi_attribute	18, 4	@ Tag_ABI_PCS_wchar_t
	.eabi_attribute	26, 2	@ Tag_ABI_enum_size
	.eabi_attribute	14, 0	@ Tag_ABI_PCS_R9_use
	.file	"crc.c"
	.globl	crc32                           @ -- Begin function crc32
	.p2align	2
	.type	crc32,%function
	.code	16                              @ @crc32
	.thumb_func
crc32:
	.fnstart
@ %bb.0:
	.save	{r4, r5, r6, r7, lr}
	push	{r4, r5, r6, r7, lr}
	.setfp	r7, sp, #12
	add	r7, sp, #12
	.save	{r8, r9, r11}
	push.w	{r8, r9, r11}
	ldr.w	r12, .LCPI0_0
	mov	r9, r0
	ldrb.w	r3, [r12]
	cbnz	r3, .LBB0_8
@ %bb.1:
	ldr.w	lr, .LCPI0_2
	ldr	r0, .LCPI0_1
	mov.w	r8, #0
.LBB0_2:                                @ =>This Loop Header: Depth=1
                                        @     Child Loop BB0_4 Depth 2
	cmp.w	r8, #256
	beq	.LBB0_7
@ %bb.3:                                @   in Loop: Header=BB0_2 Depth=1
	movs	r3, #8
	mov	r5, r8
.LBB0_4:                                @   Parent Loop BB0_2 Depth=1
                                        @ =>  This Inner Loop Header: Depth=2
	cbz	r3, .LBB0_6
@ %bb.5:                                @   in Loop: Header=BB0_4 Depth=2
	eor.w	r4, r0, r5, lsr #1
	lsls	r6, r5, #31
	it	eq
	lsreq	r4, r5, #1
	subs	r3, #1
	mov	r5, r4
	b	.LBB0_4
.LBB0_6:                                @   in Loop: Header=BB0_2 Depth=1
	str.w	r5, [lr, r8, lsl #2]
	add.w	r8, r8, #1
	b	.LBB0_2
.LBB0_7:
	movs	r0, #1
	strb.w	r0, [r12]
.LBB0_8:
	ldr.w	r12, .LCPI0_2
	mvn.w	r3, r9
.LBB0_9:                                @ =>This Inner Loop Header: Depth=1
	cmp	r2, #3
	bls	.LBB0_11
@ %bb.10:                               @   in Loop: Header=BB0_9 Depth=1
	ldrb	r4, [r1]
	ldrb	r5, [r1, #1]
	ldrb	r6, [r1, #2]
	ldrb	r0, [r1, #3]
	subs	r2, #4
	adds	r1, #4
	eors	r4, r3
	uxtb	r4, r4
	ldr.w	r4, [r12, r4, lsl #2]
	eor.w	r3, r4, r3, lsr #8
	eor.w	r4, r5, r3
	uxtb	r4, r4
	ldr.w	r4, [r12, r4, lsl #2]
	eor.w	r3, r4, r3, lsr #8
	eor.w	r4, r6, r3
	uxtb	r4, r4
	ldr.w	r4, [r12, r4, lsl #2]
	eor.w	r3, r4, r3, lsr #8
	eors	r0, r3
	uxtb	r0, r0
	ldr.w	r0, [r12, r0, lsl #2]
	eor.w	r3, r0, r3, lsr #8
	b	.LBB0_9
.LBB0_11:
	movs	r4, #0
.LBB0_12:                               @ =>This Inner Loop Header: Depth=1
	cmp	r2, r4
	beq	.LBB0_14
@ %bb.13:                               @   in Loop: Header=BB0_12 Depth=1
	ldrb	r0, [r1, r4]
	adds	r4, #1
	eors	r0, r3
	uxtb	r0, r0
	ldr.w	r0, [r12, r0, lsl #2]
	eor.w	r3, r0, r3, lsr #8
	b	.LBB0_12
.LBB0_14:
	mvns	r0, r3
	pop.w	{r8, r9, r11}
	pop	{r4, r5, r6, r7, pc}
	.p2align	2
@ %bb.15:
.LCPI0_0:
	.long	ready
.LCPI0_1:
	.long	3988292384                      @ 0xedb88320
.LCPI0_2:
	.long	table
.Lfunc_end0:
	.size	crc32, .Lfunc_end0-crc32
	.cantunwind
	.fnend
                                        @ -- End function
	.globl	adler32                         @ -- Begin function adler32
	.p2align	1
	.type	adler32,%function
	.code	16                              @ @adler32
	.thumb_func
adler32:
	.fnstart
@ %bb.0:
	.save	{r4, r5, r7, lr}
	push	{r4, r5, r7, lr}
	.setfp	r7, sp, #8
	add	r7, sp, #8
	lsrs	r3, r0, #16
	uxth	r0, r0
	movw	r4, #65521
.LBB1_1:                                @ =>This Inner Loop Header: Depth=1
	cbz	r2, .LBB1_3
@ %bb.2:                                @   in Loop: Header=BB1_1 Depth=1
	ldrb	r5, [r1], #1
	subs	r2, #1
	add	r0, r5
	udiv	r5, r0, r4
	mls	r0, r5, r4, r0
	add	r3, r0
	udiv	r5, r3, r4
	mls	r3, r5, r4, r3
	b	.LBB1_1
.LBB1_3:
	orr.w	r0, r0, r3, lsl #16
	pop	{r4, r5, r7, pc}
.Lfunc_end1:
	.size	adler32, .Lfunc_end1-adler32
	.cantunwind
	.fnend
                                        @ -- End function
	.type	ready,%object                   @ @ready
	.local	ready
	.comm	ready,1,4
	.type	table,%object                   @ @table
	.local	table
	.comm	table,1024,4
	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",%progbits
	.addrsig
	.eabi_attribute	30, 4	@ Tag_ABI_optimization_goals
