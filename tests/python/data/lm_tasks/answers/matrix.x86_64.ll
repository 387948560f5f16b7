; ModuleID = 'matrix.c'
source_filename = "matrix.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: readwrite) uwtable
define dso_local void @mat_mul(ptr nocapture noundef readonly %0, ptr nocapture noundef readonly %1, ptr nocapture noundef writeonly %2) local_unnamed_addr #0 {
  br label %4

4:                                                ; preds = %11, %3
  %5 = phi i64 [ %12, %11 ], [ 0, %3 ]
  %6 = icmp eq i64 %5, 24
  br i1 %6, label %7, label %8

7:                                                ; preds = %4
  ret void

8:                                                ; preds = %4, %17
  %9 = phi i64 [ %19, %17 ], [ 0, %4 ]
  %10 = icmp eq i64 %9, 24
  br i1 %10, label %11, label %13

11:                                               ; preds = %8
  %12 = add nuw nsw i64 %5, 1
  br label %4, !llvm.loop !5

13:                                               ; preds = %8, %20
  %14 = phi i64 [ %26, %20 ], [ 0, %8 ]
  %15 = phi double [ %25, %20 ], [ 0.000000e+00, %8 ]
  %16 = icmp eq i64 %14, 24
  br i1 %16, label %17, label %20

17:                                               ; preds = %13
  %18 = getelementptr inbounds [24 x double], ptr %2, i64 %5, i64 %9
  store double %15, ptr %18, align 8, !tbaa !7
  %19 = add nuw nsw i64 %9, 1
  br label %8, !llvm.loop !11

20:                                               ; preds = %13
  %21 = getelementptr inbounds [24 x double], ptr %0, i64 %5, i64 %14
  %22 = load double, ptr %21, align 8, !tbaa !7
  %23 = getelementptr inbounds [24 x double], ptr %1, i64 %14, i64 %9
  %24 = load double, ptr %23, align 8, !tbaa !7
  %25 = tail call double @llvm.fmuladd.f64(double %22, double %24, double %15)
  %26 = add nuw nsw i64 %14, 1
  br label %13, !llvm.loop !12
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare double @llvm.fmuladd.f64(double, double, double) #1

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: readwrite) uwtable
define dso_local void @mat_transpose(ptr nocapture noundef %0) local_unnamed_addr #0 {
  br label %5

2:                                                ; preds = %10
  %3 = add nuw nsw i64 %6, 1
  %4 = add nuw nsw i64 %7, 1
  br label %5, !llvm.loop !13

5:                                                ; preds = %2, %1
  %6 = phi i64 [ %3, %2 ], [ 0, %1 ]
  %7 = phi i64 [ %4, %2 ], [ 1, %1 ]
  %8 = icmp eq i64 %6, 24
  br i1 %8, label %9, label %10

9:                                                ; preds = %5
  ret void

10:                                               ; preds = %5, %13
  %11 = phi i64 [ %18, %13 ], [ %7, %5 ]
  %12 = icmp eq i64 %11, 24
  br i1 %12, label %2, label %13

13:                                               ; preds = %10
  %14 = getelementptr inbounds [24 x double], ptr %0, i64 %6, i64 %11
  %15 = load double, ptr %14, align 8, !tbaa !7
  %16 = getelementptr inbounds [24 x double], ptr %0, i64 %11, i64 %6
  %17 = load double, ptr %16, align 8, !tbaa !7
  store double %17, ptr %14, align 8, !tbaa !7
  store double %15, ptr %16, align 8, !tbaa !7
  %18 = add nuw nsw i64 %11, 1
  br label %10, !llvm.loop !14
}

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: read) uwtable
define dso_local double @mat_trace(ptr nocapture noundef readonly %0) local_unnamed_addr #2 {
  br label %2

2:                                                ; preds = %7, %1
  %3 = phi i64 [ %11, %7 ], [ 0, %1 ]
  %4 = phi double [ %10, %7 ], [ 0.000000e+00, %1 ]
  %5 = icmp eq i64 %3, 24
  br i1 %5, label %6, label %7

6:                                                ; preds = %2
  ret double %4

7:                                                ; preds = %2
  %8 = getelementptr inbounds [24 x double], ptr %0, i64 %3, i64 %3
  %9 = load double, ptr %8, align 8, !tbaa !7
  %10 = fadd double %4, %9
  %11 = add nuw nsw i64 %3, 1
  br label %2, !llvm.loop !15
}

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: read) uwtable
define dso_local i64 @mat_checksum(ptr nocapture noundef readonly %0) local_unnamed_addr #2 {
  br label %2

2:                                                ; preds = %11, %1
  %3 = phi i64 [ %12, %11 ], [ 0, %1 ]
  %4 = phi i64 [ %9, %11 ], [ 0, %1 ]
  %5 = icmp eq i64 %3, 24
  br i1 %5, label %6, label %7

6:                                                ; preds = %2
  ret i64 %4

7:                                                ; preds = %2, %13
  %8 = phi i64 [ %20, %13 ], [ 0, %2 ]
  %9 = phi i64 [ %19, %13 ], [ %4, %2 ]
  %10 = icmp eq i64 %8, 24
  br i1 %10, label %11, label %13

11:                                               ; preds = %7
  %12 = add nuw nsw i64 %3, 1
  br label %2, !llvm.loop !16

13:                                               ; preds = %7
  %14 = mul nsw i64 %9, 31
  %15 = getelementptr inbounds [24 x double], ptr %0, i64 %3, i64 %8
  %16 = load double, ptr %15, align 8, !tbaa !7
  %17 = fmul double %16, 1.600000e+01
  %18 = fptosi double %17 to i64
  %19 = add nsw i64 %14, %18
  %20 = add nuw nsw i64 %8, 1
  br label %7, !llvm.loop !17
}

attributes #0 = { minsize nofree norecurse nosync nounwind optsize memory(argmem: readwrite) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #1 = { mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #2 = { minsize nofree norecurse nosync nounwind optsize memory(argmem: read) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }

!llvm.module.flags = !{!0, !1, !2, !3}
!llvm.ident = !{!4}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 8, !"PIC Level", i32 2}
!2 = !{i32 7, !"PIE Level", i32 2}
!3 = !{i32 7, !"uwtable", i32 2}
!4 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!5 = distinct !{!5, !6}
!6 = !{!"llvm.loop.mustprogress"}
!7 = !{!8, !8, i64 0}
!8 = !{!"double", !9, i64 0}
!9 = !{!"omnipotent char", !10, i64 0}
!10 = !{!"Simple C/C++ TBAA"}
!11 = distinct !{!11, !6}
!12 = distinct !{!12, !6}
!13 = distinct !{!13, !6}
!14 = distinct !{!14, !6}
!15 = distinct !{!15, !6}
!16 = distinct !{!16, !6}
!17 = distinct !{!17, !6}
