; ModuleID = 'crc.c'
source_filename = "crc.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@ready = internal unnamed_addr global i1 false, align 4
@table = internal unnamed_addr global [256 x i32] zeroinitializer, align 16

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(readwrite, argmem: read, inaccessiblemem: none) uwtable
define dso_local i32 @crc32(i32 noundef %0, ptr nocapture noundef readonly %1, i64 noundef %2) local_unnamed_addr #0 {
  %4 = load i1, ptr @ready, align 4
  br i1 %4, label %25, label %5

5:                                                ; preds = %3, %14
  %6 = phi i64 [ %16, %14 ], [ 0, %3 ]
  %7 = icmp eq i64 %6, 256
  br i1 %7, label %24, label %8

8:                                                ; preds = %5
  %9 = trunc nuw nsw i64 %6 to i32
  br label %10

10:                                               ; preds = %17, %8
  %11 = phi i32 [ %22, %17 ], [ %9, %8 ]
  %12 = phi i32 [ %23, %17 ], [ 0, %8 ]
  %13 = icmp eq i32 %12, 8
  br i1 %13, label %14, label %17

14:                                               ; preds = %10
  %15 = getelementptr inbounds [256 x i32], ptr @table, i64 0, i64 %6
  store i32 %11, ptr %15, align 4, !tbaa !5
  %16 = add nuw nsw i64 %6, 1
  br label %5, !llvm.loop !9

17:                                               ; preds = %10
  %18 = and i32 %11, 1
  %19 = icmp eq i32 %18, 0
  %20 = lshr i32 %11, 1
  %21 = xor i32 %20, -306674912
  %22 = select i1 %19, i32 %20, i32 %21
  %23 = add nuw nsw i32 %12, 1
  br label %10, !llvm.loop !11

24:                                               ; preds = %5
  store i1 true, ptr @ready, align 4
  br label %25

25:                                               ; preds = %24, %3
  %26 = xor i32 %0, -1
  br label %27

27:                                               ; preds = %32, %25
  %28 = phi i32 [ %26, %25 ], [ %67, %32 ]
  %29 = phi ptr [ %1, %25 ], [ %68, %32 ]
  %30 = phi i64 [ %2, %25 ], [ %69, %32 ]
  %31 = icmp ugt i64 %30, 3
  br i1 %31, label %32, label %70

32:                                               ; preds = %27
  %33 = load i8, ptr %29, align 1, !tbaa !12
  %34 = trunc i32 %28 to i8
  %35 = xor i8 %33, %34
  %36 = zext i8 %35 to i64
  %37 = getelementptr inbounds [256 x i32], ptr @table, i64 0, i64 %36
  %38 = load i32, ptr %37, align 4, !tbaa !5
  %39 = lshr i32 %28, 8
  %40 = xor i32 %38, %39
  %41 = getelementptr inbounds i8, ptr %29, i64 1
  %42 = load i8, ptr %41, align 1, !tbaa !12
  %43 = trunc i32 %40 to i8
  %44 = xor i8 %42, %43
  %45 = zext i8 %44 to i64
  %46 = getelementptr inbounds [256 x i32], ptr @table, i64 0, i64 %45
  %47 = load i32, ptr %46, align 4, !tbaa !5
  %48 = lshr i32 %40, 8
  %49 = xor i32 %47, %48
  %50 = getelementptr inbounds i8, ptr %29, i64 2
  %51 = load i8, ptr %50, align 1, !tbaa !12
  %52 = trunc i32 %49 to i8
  %53 = xor i8 %51, %52
  %54 = zext i8 %53 to i64
  %55 = getelementptr inbounds [256 x i32], ptr @table, i64 0, i64 %54
  %56 = load i32, ptr %55, align 4, !tbaa !5
  %57 = lshr i32 %49, 8
  %58 = xor i32 %56, %57
  %59 = getelementptr inbounds i8, ptr %29, i64 3
  %60 = load i8, ptr %59, align 1, !tbaa !12
  %61 = trunc i32 %58 to i8
  %62 = xor i8 %60, %61
  %63 = zext i8 %62 to i64
  %64 = getelementptr inbounds [256 x i32], ptr @table, i64 0, i64 %63
  %65 = load i32, ptr %64, align 4, !tbaa !5
  %66 = lshr i32 %58, 8
  %67 = xor i32 %65, %66
  %68 = getelementptr inbounds i8, ptr %29, i64 4
  %69 = add i64 %30, -4
  br label %27, !llvm.loop !13

70:                                               ; preds = %27, %75
  %71 = phi i32 [ %85, %75 ], [ %28, %27 ]
  %72 = phi ptr [ %77, %75 ], [ %29, %27 ]
  %73 = phi i64 [ %76, %75 ], [ %30, %27 ]
  %74 = icmp eq i64 %73, 0
  br i1 %74, label %86, label %75

75:                                               ; preds = %70
  %76 = add i64 %73, -1
  %77 = getelementptr inbounds i8, ptr %72, i64 1
  %78 = load i8, ptr %72, align 1, !tbaa !12
  %79 = trunc i32 %71 to i8
  %80 = xor i8 %78, %79
  %81 = zext i8 %80 to i64
  %82 = getelementptr inbounds [256 x i32], ptr @table, i64 0, i64 %81
  %83 = load i32, ptr %82, align 4, !tbaa !5
  %84 = lshr i32 %71, 8
  %85 = xor i32 %83, %84
  br label %70, !llvm.loop !14

86:                                               ; preds = %70
  %87 = xor i32 %71, -1
  ret i32 %87
}

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: read) uwtable
define dso_local i32 @adler32(i32 noundef %0, ptr nocapture noundef readonly %1, i64 noundef %2) local_unnamed_addr #1 {
  %4 = and i32 %0, 65535
  %5 = lshr i32 %0, 16
  br label %6

6:                                                ; preds = %14, %3
  %7 = phi i32 [ %4, %3 ], [ %19, %14 ]
  %8 = phi i32 [ %5, %3 ], [ %21, %14 ]
  %9 = phi i64 [ 0, %3 ], [ %22, %14 ]
  %10 = icmp eq i64 %9, %2
  br i1 %10, label %11, label %14

11:                                               ; preds = %6
  %12 = shl nuw i32 %8, 16
  %13 = or disjoint i32 %12, %7
  ret i32 %13

14:                                               ; preds = %6
  %15 = getelementptr inbounds i8, ptr %1, i64 %9
  %16 = load i8, ptr %15, align 1, !tbaa !12
  %17 = zext i8 %16 to i32
  %18 = add nuw nsw i32 %7, %17
  %19 = urem i32 %18, 65521
  %20 = add nuw nsw i32 %19, %8
  %21 = urem i32 %20, 65521
  %22 = add i64 %9, 1
  br label %6, !llvm.loop !15
}

attributes #0 = { minsize nofree norecurse nosync nounwind optsize memory(readwrite, argmem: read, inaccessiblemem: none) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #1 = { minsize nofree norecurse nosync nounwind optsize memory(argmem: read) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }

!llvm.module.flags = !{!0, !1, !2, !3}
!llvm.ident = !{!4}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 8, !"PIC Level", i32 2}
!2 = !{i32 7, !"PIE Level", i32 2}
!3 = !{i32 7, !"uwtable", i32 2}
!4 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!5 = !{!6, !6, i64 0}
!6 = !{!"int", !7, i64 0}
!7 = !{!"omnipotent char", !8, i64 0}
!8 = !{!"Simple C/C++ TBAA"}
!9 = distinct !{!9, !10}
!10 = !{!"llvm.loop.mustprogress"}
!11 = distinct !{!11, !10}
!12 = !{!7, !7, i64 0}
!13 = distinct !{!13, !10}
!14 = distinct !{!14, !10}
!15 = distinct !{!15, !10}
