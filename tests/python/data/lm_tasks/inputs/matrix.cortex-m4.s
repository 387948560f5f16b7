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
	.file	"matrix.c"
	.globl	mat_mul                         @ -- Begin function mat_mul
	.p2align	1
	.type	mat_mul,%function
	.code	16                              @ @mat_mul
	.thumb_func
mat_mul:
	.fnstart
@ %bb.0:
	.save	{r4, r5, r6, r7, lr}
	push	{r4, r5, r6, r7, lr}
	.setfp	r7, sp, #12
	add	r7, sp, #12
	.save	{r8, r9, r10, r11}
	.pad	#12
	push.w	{r5, r6, r7, r8, r9, r10, r11}
	strd	r1, r2, [sp]                    @ 8-byte Folded Spill
	mov	r6, r0
	movs	r2, #0
.LBB0_1:                                @ =>This Loop Header: Depth=1
                                        @     Child Loop BB0_3 Depth 2
                                        @       Child Loop BB0_5 Depth 3
	cmp	r2, #24
	beq	.LBB0_9
@ %bb.2:                                @   in Loop: Header=BB0_1 Depth=1
	ldr.w	r10, [sp]                       @ 4-byte Reload
	mov.w	r11, #0
	str	r2, [sp, #8]                    @ 4-byte Spill
.LBB0_3:                                @   Parent Loop BB0_1 Depth=1
                                        @ =>  This Loop Header: Depth=2
                                        @       Child Loop BB0_5 Depth 3
	cmp.w	r11, #24
	beq	.LBB0_8
@ %bb.4:                                @   in Loop: Header=BB0_3 Depth=2
	mov.w	r9, #0
	mov	r8, r10
	movs	r4, #0
	movs	r5, #0
.LBB0_5:                                @   Parent Loop BB0_1 Depth=1
                                        @     Parent Loop BB0_3 Depth=2
                                        @ =>    This Inner Loop Header: Depth=3
	cmp.w	r9, #192
	beq	.LBB0_7
@ %bb.6:                                @   in Loop: Header=BB0_5 Depth=3
	add.w	r1, r6, r9
	ldr.w	r0, [r6, r9]
	ldrd	r2, r3, [r8], #192
	ldr	r1, [r1, #4]
	bl	__aeabi_dmul
	mov	r2, r4
	mov	r3, r5
	bl	__aeabi_dadd
	mov	r4, r0
	mov	r5, r1
	add.w	r9, r9, #8
	b	.LBB0_5
.LBB0_7:                                @   in Loop: Header=BB0_3 Depth=2
	ldr	r2, [sp, #8]                    @ 4-byte Reload
	ldr	r1, [sp, #4]                    @ 4-byte Reload
	add.w	r10, r10, #8
	add.w	r0, r2, r2, lsl #1
	add.w	r0, r1, r0, lsl #6
	str.w	r4, [r0, r11, lsl #3]
	add.w	r0, r0, r11, lsl #3
	add.w	r11, r11, #1
	str	r5, [r0, #4]
	b	.LBB0_3
.LBB0_8:                                @   in Loop: Header=BB0_1 Depth=1
	adds	r6, #192
	adds	r2, #1
	b	.LBB0_1
.LBB0_9:
	pop.w	{r1, r2, r3, r8, r9, r10, r11}
	pop	{r4, r5, r6, r7, pc}
.Lfunc_end0:
	.size	mat_mul, .Lfunc_end0-mat_mul
	.cantunwind
	.fnend
                                        @ -- End function
	.globl	mat_transpose                   @ -- Begin function mat_transpose
	.p2align	1
	.type	mat_transpose,%function
	.code	16                              @ @mat_transpose
	.thumb_func
mat_transpose:
	.fnstart
@ %bb.0:
	.save	{r4, r5, r6, r7, lr}
	push	{r4, r5, r6, r7, lr}
	.setfp	r7, sp, #12
	add	r7, sp, #12
	.save	{r8}
	str	r8, [sp, #-4]!
	add.w	r12, r0, #8
	add.w	lr, r0, #192
	mov.w	r8, #0
.LBB1_1:                                @ =>This Loop Header: Depth=1
                                        @     Child Loop BB1_3 Depth 2
	cmp.w	r8, #24
	beq	.LBB1_6
@ %bb.2:                                @   in Loop: Header=BB1_1 Depth=1
	add.w	r8, r8, #1
	mov	r3, r12
	mov	r4, lr
	mov	r5, r8
.LBB1_3:                                @   Parent Loop BB1_1 Depth=1
                                        @ =>  This Inner Loop Header: Depth=2
	cmp	r5, #23
	bhi	.LBB1_5
@ %bb.4:                                @   in Loop: Header=BB1_3 Depth=2
	ldrd	r6, r1, [r3]
	ldrd	r0, r2, [r4]
	adds	r5, #1
	strd	r0, r2, [r3], #8
	strd	r6, r1, [r4], #192
	b	.LBB1_3
.LBB1_5:                                @   in Loop: Header=BB1_1 Depth=1
	add.w	r12, r12, #200
	add.w	lr, lr, #200
	b	.LBB1_1
.LBB1_6:
	ldr	r8, [sp], #4
	pop	{r4, r5, r6, r7, pc}
.Lfunc_end1:
	.size	mat_transpose, .Lfunc_end1-mat_transpose
	.cantunwind
	.fnend
                                        @ -- End function
	.globl	mat_trace                       @ -- Begin function mat_trace
	.p2align	1
	.type	mat_trace,%function
	.code	16                              @ @mat_trace
	.thumb_func
mat_trace:
	.fnstart
@ %bb.0:
	.save	{r4, r5, r7, lr}
	push	{r4, r5, r7, lr}
	.setfp	r7, sp, #8
	add	r7, sp, #8
	mov	r4, r0
	movs	r5, #0
	movs	r0, #0
	movs	r1, #0
.LBB2_1:                                @ =>This Inner Loop Header: Depth=1
	cmp.w	r5, #4800
	it	eq
	popeq	{r4, r5, r7, pc}
.LBB2_2:                                @   in Loop: Header=BB2_1 Depth=1
	adds	r3, r4, r5
	ldr	r2, [r4, r5]
	ldr	r3, [r3, #4]
	bl	__aeabi_dadd
	adds	r5, #200
	b	.LBB2_1
.Lfunc_end2:
	.size	mat_trace, .Lfunc_end2-mat_trace
	.cantunwind
	.fnend
                                        @ -- End function
	.globl	mat_checksum                    @ -- Begin function mat_checksum
	.p2align	2
	.type	mat_checksum,%function
	.code	16                              @ @mat_checksum
	.thumb_func
mat_checksum:
	.fnstart
@ %bb.0:
	.save	{r4, r5, r6, r7, lr}
	push	{r4, r5, r6, r7, lr}
	.setfp	r7, sp, #12
	add	r7, sp, #12
	.save	{r8, r9, r11}
	push.w	{r8, r9, r11}
	mov	r4, r0
	ldr	r0, .LCPI3_0
	movs	r5, #0
	mov.w	r8, #0
	mov	r9, r0
.LBB3_1:                                @ =>This Loop Header: Depth=1
                                        @     Child Loop BB3_3 Depth 2
	cmp.w	r8, #24
	beq	.LBB3_6
@ %bb.2:                                @   in Loop: Header=BB3_1 Depth=1
	movs	r6, #0
.LBB3_3:                                @   Parent Loop BB3_1 Depth=1
                                        @ =>  This Inner Loop Header: Depth=2
	cmp	r6, #192
	beq	.LBB3_5
@ %bb.4:                                @   in Loop: Header=BB3_3 Depth=2
	adds	r1, r4, r6
	ldr	r0, [r4, r6]
	movs	r2, #0
	mov	r3, r9
	ldr	r1, [r1, #4]
	bl	__aeabi_dmul
	bl	__aeabi_d2iz
	rsb	r1, r5, r5, lsl #5
	adds	r6, #8
	adds	r5, r1, r0
	b	.LBB3_3
.LBB3_5:                                @   in Loop: Header=BB3_1 Depth=1
	adds	r4, #192
	add.w	r8, r8, #1
	b	.LBB3_1
.LBB3_6:
	mov	r0, r5
	pop.w	{r8, r9, r11}
	pop	{r4, r5, r6, r7, pc}
	.p2align	2
@ %bb.7:
.LCPI3_0:
	.long	1076887552                      @ 0x40300000
.Lfunc_end3:
	.size	mat_checksum, .Lfunc_end3-mat_checksum
	.cantunwind
	.fnend
                                        @ -- End function
	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",%progbits
	.addrsig
	.eabi_attribute	30, 4	@ Tag_ABI_optimization_goals
