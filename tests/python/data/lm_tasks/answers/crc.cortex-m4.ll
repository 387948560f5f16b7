; ModuleID = 'crc.c'
source_filename = "crc.c"
target datalayout = "e-m:e-p:32:32-Fi8-i64:64-v128:64:128-a:0:32-n32-S64"
target triple = "thumbv7em-unknown-none-eabi"

@ready = internal unnamed_addr global i1 false, align 4
@table = internal unnamed_addr global [256 x i32] zeroinitializer, align 4

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(readwrite, argmem: read, inaccessiblemem: none)
define dso_local i32 @crc32(i32 noundef %0, ptr nocapture noundef readonly %1, i32 noundef %2) local_unnamed_addr #0 {
  %4 = load i1, ptr @ready, align 4
  br i1 %4, label %23, label %5

5:                                                ; preds = %3, %12
  %6 = phi i32 [ %14, %12 ], [ 0, %3 ]
  %7 = icmp eq i32 %6, 256
  br i1 %7, label %22, label %8

8:                                                ; preds = %5, %15
  %9 = phi i32 [ %20, %15 ], [ %6, %5 ]
  %10 = phi i32 [ %21, %15 ], [ 0, %5 ]
  %11 = icmp eq i32 %10, 8
  br i1 %11, label %12, label %15

12:                                               ; preds = %8
  %13 = getelementptr inbounds [256 x i32], ptr @table, i32 0, i32 %6
  store i32 %9, ptr %13, align 4, !tbaa !4
  %14 = add nuw nsw i32 %6, 1
  br label %5, !llvm.loop !8

15:                                               ; preds = %8
  %16 = and i32 %9, 1
  %17 = icmp eq i32 %16, 0
  %18 = lshr i32 %9, 1
  %19 = xor i32 %18, -306674912
  %20 = select i1 %17, i32 %18, i32 %19
  %21 = add nuw nsw i32 %10, 1
  br label %8, !llvm.loop !10

22:                                               ; preds = %5
  store i1 true, ptr @ready, align 4
  br label %23

23:                                               ; preds = %22, %3
  %24 = xor i32 %0, -1
  br label %25

25:                                               ; preds = %30, %23
  %26 = phi i32 [ %24, %23 ], [ %65, %30 ]
  %27 = phi ptr [ %1, %23 ], [ %66, %30 ]
  %28 = phi i32 [ %2, %23 ], [ %67, %30 ]
  %29 = icmp ugt i32 %28, 3
  br i1 %29, label %30, label %68

30:                                               ; preds = %25
  %31 = load i8, ptr %27, align 1, !tbaa !11
  %32 = trunc i32 %26 to i8
  %33 = xor i8 %31, %32
  %34 = zext i8 %33 to i32
  %35 = getelementptr inbounds [256 x i32], ptr @table, i32 0, i32 %34
  %36 = load i32, ptr %35, align 4, !tbaa !4
  %37 = lshr i32 %26, 8
  %38 = xor i32 %36, %37
  %39 = getelementptr inbounds i8, ptr %27, i32 1
  %40 = load i8, ptr %39, align 1, !tbaa !11
  %41 = trunc i32 %38 to i8
  %42 = xor i8 %40, %41
  %43 = zext i8 %42 to i32
  %44 = getelementptr inbounds [256 x i32], ptr @table, i32 0, i32 %43
  %45 = load i32, ptr %44, align 4, !tbaa !4
  %46 = lshr i32 %38, 8
  %47 = xor i32 %45, %46
  %48 = getelementptr inbounds i8, ptr %27, i32 2
  %49 = load i8, ptr %48, align 1, !tbaa !11
  %50 = trunc i32 %47 to i8
  %51 = xor i8 %49, %50
  %52 = zext i8 %51 to i32
  %53 = getelementptr inbounds [256 x i32], ptr @table, i32 0, i32 %52
  %54 = load i32, ptr %53, align 4, !tbaa !4
  %55 = lshr i32 %47, 8
  %56 = xor i32 %54, %55
  %57 = getelementptr inbounds i8, ptr %27, i32 3
  %58 = load i8, ptr %57, align 1, !tbaa !11
  %59 = trunc i32 %56 to i8
  %60 = xor i8 %58, %59
  %61 = zext i8 %60 to i32
  %62 = getelementptr inbounds [256 x i32], ptr @table, i32 0, i32 %61
  %63 = load i32, ptr %62, align 4, !tbaa !4
  %64 = lshr i32 %56, 8
  %65 = xor i32 %63, %64
  %66 = getelementptr inbounds i8, ptr %27, i32 4
  %67 = add i32 %28, -4
  br label %25, !llvm.loop !12

68:                                               ; preds = %25, %73
  %69 = phi i32 [ %83, %73 ], [ %26, %25 ]
  %70 = phi ptr [ %75, %73 ], [ %27, %25 ]
  %71 = phi i32 [ %74, %73 ], [ %28, %25 ]
  %72 = icmp eq i32 %71, 0
  br i1 %72, label %84, label %73

73:                                               ; preds = %68
  %74 = add i32 %71, -1
  %75 = getelementptr inbounds i8, ptr %70, i32 1
  %76 = load i8, ptr %70, align 1, !tbaa !11
  %77 = trunc i32 %69 to i8
  %78 = xor i8 %76, %77
  %79 = zext i8 %78 to i32
  %80 = getelementptr inbounds [256 x i32], ptr @table, i32 0, i32 %79
  %81 = load i32, ptr %80, align 4, !tbaa !4
  %82 = lshr i32 %69, 8
  %83 = xor i32 %81, %82
  br label %68, !llvm.loop !13

84:                                               ; preds = %68
  %85 = xor i32 %69, -1
  ret i32 %85
}

; Function Attrs: minsize nofree norecurse nosync nounwind optsize memory(argmem: read)
define dso_local i32 @adler32(i32 noundef %0, ptr nocapture noundef readonly %1, i32 noundef %2) local_unnamed_addr #1 {
  %4 = and i32 %0, 65535
  %5 = lshr i32 %0, 16
  br label %6

6:                                                ; preds = %14, %3
  %7 = phi i32 [ %4, %3 ], [ %19, %14 ]
  %8 = phi i32 [ %5, %3 ], [ %21, %14 ]
  %9 = phi i32 [ 0, %3 ], [ %22, %14 ]
  %10 = icmp eq i32 %9, %2
  br i1 %10, label %11, label %14

11:                                               ; preds = %6
  %12 = shl nuw i32 %8, 16
  %13 = or disjoint i32 %12, %7
  ret i32 %13

14:                                               ; preds = %6
  %15 = getelementptr inbounds i8, ptr %1, i32 %9
  %16 = load i8, ptr %15, align 1, !tbaa !11
  %17 = zext i8 %16 to i32
  %18 = add nuw nsw i32 %7, %17
  %19 = urem i32 %18, 65521
  %20 = add nuw nsw i32 %19, %8
  %21 = urem i32 %20, 65521
  %22 = add i32 %9, 1
  br label %6, !llvm.loop !14
}

attributes #0 = { minsize nofree norecurse nosync nounwind optsize memory(readwrite, argmem: read, inaccessiblemem: none) "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="cortex-m4" "target-features"="+armv7e-m,+dsp,+hwdiv,+soft-float,+thumb-mode,-aes,-bf16,-cdecp0,-cdecp1,-cdecp2,-cdecp3,-cdecp4,-cdecp5,-cdecp6,-cdecp7,-crc,-crypto,-d32,-dotprod,-fp-armv8,-fp-armv8d16,-fp-armv8d16sp,-fp-armv8sp,-fp16,-fp16fml,-fp64,-fpregs,-fullfp16,-hwdiv-arm,-i8mm,-lob,-mve,-mve.fp,-neon,-pacbti,-ras,-sb,-sha2,-vfp2,-vfp2sp,-vfp3,-vfp3d16,-vfp3d16sp,-vfp3sp,-vfp4,-vfp4d16,-vfp4d16sp,-vfp4sp" "use-soft-float"="true" }
attributes #1 = { minsize nofree norecurse nosync nounwind optsize memory(argmem: read) "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="cortex-m4" "target-features"="+armv7e-m,+dsp,+hwdiv,+soft-float,+thumb-mode,-aes,-bf16,-cdecp0,-cdecp1,-cdecp2,-cdecp3,-cdecp4,-cdecp5,-cdecp6,-cdecp7,-crc,-crypto,-d32,-dotprod,-fp-armv8,-fp-armv8d16,-fp-armv8d16sp,-fp-armv8sp,-fp16,-fp16fml,-fp64,-fpregs,-fullfp16,-hwdiv-arm,-i8mm,-lob,-mve,-mve.fp,-neon,-pacbti,-ras,-sb,-sha2,-vfp2,-vfp2sp,-vfp3,-vfp3d16,-vfp3d16sp,-vfp3sp,-vfp4,-vfp4d16,-vfp4d16sp,-vfp4sp" "use-soft-float"="true" }

!llvm.module.flags = !{!0, !1, !2}
!llvm.ident = !{!3}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 1, !"min_enum_size", i32 4}
!2 = !{i32 7, !"frame-pointer", i32 2}
!3 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!4 = !{!5, !5, i64 0}
!5 = !{!"int", !6, i64 0}
!6 = !{!"omnipotent char", !7, i64 0}
!7 = !{!"Simple C/C++ TBAA"}
!8 = distinct !{!8, !9}
!9 = !{!"llvm.loop.mustprogress"}
!10 = distinct !{!10, !9}
!11 = !{!6, !6, i64 0}
!12 = distinct !{!12, !9}
!13 = distinct !{!13, !9}
!14 = distinct !{!14, !9}
