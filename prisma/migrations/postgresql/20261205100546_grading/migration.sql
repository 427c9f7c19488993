-- AlterTable
ALTER TABLE "Class" ADD COLUMN     "leaderboardNames" TEXT NOT NULL DEFAULT 'name',
ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'America/Argentina/Buenos_Aires';

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "nickname" TEXT;

-- CreateTable
CREATE TABLE "Submission" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "classId" TEXT,
    "lessonSlug" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "passed" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "rawScore" DOUBLE PRECISION NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "cases" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "detail" TEXT,
    "hintsUsed" INTEGER NOT NULL DEFAULT 0,
    "revealed" BOOLEAN NOT NULL DEFAULT false,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonDeadline" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LessonDeadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GradeOverride" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "comment" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GradeOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Challenge" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "template" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "trainDataset" TEXT,
    "targetColumn" TEXT NOT NULL,
    "idColumn" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "positiveLabel" TEXT,
    "deadline" TIMESTAMP(3) NOT NULL,
    "dailyLimit" INTEGER NOT NULL DEFAULT 5,
    "publicFraction" DOUBLE PRECISION NOT NULL DEFAULT 0.3,
    "rowCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChallengeData" (
    "challengeId" TEXT NOT NULL,
    "featuresCsv" TEXT NOT NULL,
    "trainCsv" TEXT,
    "ids" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "publicMask" TEXT NOT NULL,

    CONSTRAINT "ChallengeData_pkey" PRIMARY KEY ("challengeId")
);

-- CreateTable
CREATE TABLE "ChallengeSubmission" (
    "id" TEXT NOT NULL,
    "challengeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "publicScore" DOUBLE PRECISION NOT NULL,
    "privateScore" DOUBLE PRECISION NOT NULL,
    "selected" BOOLEAN NOT NULL DEFAULT false,
    "day" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChallengeSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Submission_classId_lessonSlug_idx" ON "Submission"("classId", "lessonSlug");

-- CreateIndex
CREATE UNIQUE INDEX "Submission_userId_lessonSlug_exerciseId_attempt_key" ON "Submission"("userId", "lessonSlug", "exerciseId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "LessonDeadline_classId_lessonSlug_key" ON "LessonDeadline"("classId", "lessonSlug");

-- CreateIndex
CREATE INDEX "GradeOverride_classId_studentId_item_idx" ON "GradeOverride"("classId", "studentId", "item");

-- CreateIndex
CREATE INDEX "Challenge_classId_idx" ON "Challenge"("classId");

-- CreateIndex
CREATE INDEX "ChallengeSubmission_challengeId_userId_idx" ON "ChallengeSubmission"("challengeId", "userId");

-- CreateIndex
CREATE INDEX "ChallengeSubmission_challengeId_createdAt_idx" ON "ChallengeSubmission"("challengeId", "createdAt");

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonDeadline" ADD CONSTRAINT "LessonDeadline_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GradeOverride" ADD CONSTRAINT "GradeOverride_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Challenge" ADD CONSTRAINT "Challenge_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChallengeData" ADD CONSTRAINT "ChallengeData_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChallengeSubmission" ADD CONSTRAINT "ChallengeSubmission_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChallengeSubmission" ADD CONSTRAINT "ChallengeSubmission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
