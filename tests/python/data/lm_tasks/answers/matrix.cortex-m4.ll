; ModuleID = 'matrix.c'
source_filename = "matrix.c"
target datalayout = "e-m:e-p:32:32-Fi8-i64:64-v128:64:128-a:0:32-n32-S64"
target triple = "thumbv7em-unknown-none-eabi"

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: readwrite)
define dso_local void @mat_mul(ptr nocapture noundef readonly %0, ptr nocapture noundef readonly %1, ptr nocapture noundef writeonly %2) local_unnamed_addr #0 {
  br label %4

4:                                                ; preds = %11, %3
  %5 = phi i32 [ 0, %3 ], [ %12, %11 ]
  %6 = icmp eq i32 %5, 24
  br i1 %6, label %7, label %8

7:                                                ; preds = %4
  ret void

8:                                                ; preds = %4, %17
  %9 = phi i32 [ %19, %17 ], [ 0, %4 ]
  %10 = icmp eq i32 %9, 24
  br i1 %10, label %11, label %13

11:                                               ; preds = %8
  %12 = add nuw nsw i32 %5, 1
  br label %4, !llvm.loop !4

13:                                               ; preds = %8, %20
  %14 = phi double [ %25, %20 ], [ 0.000000e+00, %8 ]
  %15 = phi i32 [ %26, %20 ], [ 0, %8 ]
  %16 = icmp eq i32 %15, 24
  br i1 %16, label %17, label %20

17:                                               ; preds = %13
  %18 = getelementptr inbounds [24 x double], ptr %2, i32 %5, i32 %9
  store double %14, ptr %18, align 8, !tbaa !6
  %19 = add nuw nsw i32 %9, 1
  br label %8, !llvm.loop !10

20:                                               ; preds = %13
  %21 = getelementptr inbounds [24 x double], ptr %0, i32 %5, i32 %15
  %22 = load double, ptr %21, align 8, !tbaa !6
  %23 = getelementptr inbounds [24 x double], ptr %1, i32 %15, i32 %9
  %24 = load double, ptr %23, align 8, !tbaa !6
  %25 = tail call double @llvm.fmuladd.f64(double %22, double %24, double %14)
  %26 = add nuw nsw i32 %15, 1
  br label %13, !llvm.loop !11
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare double @llvm.fmuladd.f64(double, double, double) #1

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: readwrite)
define dso_local void @mat_transpose(ptr nocapture noundef %0) local_unnamed_addr #0 {
  br label %2

2:                                                ; preds = %8, %1
  %3 = phi i32 [ 0, %1 ], [ %7, %8 ]
  %4 = icmp eq i32 %3, 24
  br i1 %4, label %5, label %6

5:                                                ; preds = %2
  ret void

6:                                                ; preds = %2
  %7 = add nuw nsw i32 %3, 1
  br label %8

8:                                                ; preds = %11, %6
  %9 = phi i32 [ %7, %6 ], [ %16, %11 ]
  %10 = icmp ult i32 %9, 24
  br i1 %10, label %11, label %2, !llvm.loop !12

11:                                               ; preds = %8
  %12 = getelementptr inbounds [24 x double], ptr %0, i32 %3, i32 %9
  %13 = load double, ptr %12, align 8, !tbaa !6
  %14 = getelementptr inbounds [24 x double], ptr %0, i32 %9, i32 %3
  %15 = load double, ptr %14, align 8, !tbaa !6
  store double %15, ptr %12, align 8, !tbaa !6
  store double %13, ptr %14, align 8, !tbaa !6
  %16 = add nuw nsw i32 %9, 1
  br label %8, !llvm.loop !13
}

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: read)
define dso_local double @mat_trace(ptr nocapture noundef readonly %0) local_unnamed_addr #2 {
  br label %2

2:                                                ; preds = %7, %1
  %3 = phi double [ 0.000000e+00, %1 ], [ %10, %7 ]
  %4 = phi i32 [ 0, %1 ], [ %11, %7 ]
  %5 = icmp eq i32 %4, 24
  br i1 %5, label %6, label %7

6:                                                ; preds = %2
  ret double %3

7:                                                ; preds = %2
  %8 = getelementptr inbounds [24 x double], ptr %0, i32 %4, i32 %4
  %9 = load double, ptr %8, align 8, !tbaa !6
  %10 = fadd double %3, %9
  %11 = add nuw nsw i32 %4, 1
  br label %2, !llvm.loop !14
}

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: read)
define dso_local i32 @mat_checksum(ptr nocapture noundef readonly %0) local_unnamed_addr #2 {
  br label %2

2:                                                ; preds = %11, %1
  %3 = phi i32 [ 0, %1 ], [ %8, %11 ]
  %4 = phi i32 [ 0, %1 ], [ %12, %11 ]
  %5 = icmp eq i32 %4, 24
  br i1 %5, label %6, label %7

6:                                                ; preds = %2
  ret i32 %3

7:                                                ; preds = %2, %13
  %8 = phi i32 [ %19, %13 ], [ %3, %2 ]
  %9 = phi i32 [ %20, %13 ], [ 0, %2 ]
  %10 = icmp eq i32 %9, 24
  br i1 %10, label %11, label %13

11:                                               ; preds = %7
  %12 = add nuw nsw i32 %4, 1
  br label %2, !llvm.loop !15

13:                                               ; preds = %7
  %14 = mul nsw i32 %8, 31
  %15 = getelementptr inbounds [24 x double], ptr %0, i32 %4, i32 %9
  %16 = load double, ptr %15, align 8, !tbaa !6
  %17 = fmul double %16, 1.600000e+01
  %18 = fptosi double %17 to i32
  %19 = add nsw i32 %14, %18
  %20 = add nuw nsw i32 %9, 1
  br label %7, !llvm.loop !16
}

attributes #0 = { minsize nofree norecurse nosync nounwind optsize memory(argmem: readwrite) "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="cortex-m4" "target-features"="+armv7e-m,+dsp,+hwdiv,+soft-float,+thumb-mode,-aes,-bf16,-cdecp0,-cdecp1,-cdecp2,-cdecp3,-cdecp4,-cdecp5,-cdecp6,-cdecp7,-crc,-crypto,-d32,-dotprod,-fp-armv8,-fp-armv8d16,-fp-armv8d16sp,-fp-armv8sp,-fp16,-fp16fml,-fp64,-fpregs,-fullfp16,-hwdiv-arm,-i8mm,-lob,-mve,-mve.fp,-neon,-pacbti,-ras,-sb,-sha2,-vfp2,-vfp2sp,-vfp3,-vfp3d16,-vfp3d16sp,-vfp3sp,-vfp4,-vfp4d16,-vfp4d16sp,-vfp4sp" "use-soft-float"="true" }
attributes #1 = { mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #2 = { minsize nofree norecurse nosync nounwind optsize memory(argmem: read) "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="cortex-m4" "target-features"="+armv7e-m,+dsp,+hwdiv,+soft-float,+thumb-mode,-aes,-bf16,-cdecp0,-cdecp1,-cdecp2,-cdecp3,-cdecp4,-cdecp5,-cdecp6,-cdecp7,-crc,-crypto,-d32,-dotprod,-fp-armv8,-fp-armv8d16,-fp-armv8d16sp,-fp-armv8sp,-fp16,-fp16fml,-fp64,-fpregs,-fullfp16,-hwdiv-arm,-i8mm,-lob,-mve,-mve.fp,-neon,-pacbti,-ras,-sb,-sha2,-vfp2,-vfp2sp,-vfp3,-vfp3d16,-vfp3d16sp,-vfp3sp,-vfp4,-vfp4d16,-vfp4d16sp,-vfp4sp" "use-soft-float"="true" }

!llvm.module.flags = !{!0, !1, !2}
!llvm.ident = !{!3}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 1, !"min_enum_size", i32 4}
!2 = !{i32 7, !"frame-pointer", i32 2}
!3 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!4 = distinct !{!4, !5}
!5 = !{!"llvm.loop.mustprogress"}
!6 = !{!7, !7, i64 0}
!7 = !{!"double", !8, i64 0}
!8 = !{!"omnipotent char", !9, i64 0}
!9 = !{!"Simple C/C++ TBAA"}
!10 = distinct !{!10, !5}
!11 = distinct !{!11, !5}
!12 = distinct !{!12, !5}
!13 = distinct !{!13, !5}
!14 = distinct !{!14, !5}
!15 = distinct !{!15, !5}
!16 = distinct !{!16, !5}
