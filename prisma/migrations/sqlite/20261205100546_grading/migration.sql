-- AlterTable
ALTER TABLE "Membership" ADD COLUMN "nickname" TEXT;

-- CreateTable
CREATE TABLE "Submission" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "rawScore" REAL NOT NULL,
    "score" REAL NOT NULL,
    "cases" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "detail" TEXT,
    "hintsUsed" INTEGER NOT NULL DEFAULT 0,
    "revealed" BOOLEAN NOT NULL DEFAULT false,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Submission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonDeadline" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "classId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    CONSTRAINT "LessonDeadline_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GradeOverride" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "classId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "comment" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GradeOverride_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Challenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "deadline" DATETIME NOT NULL,
    "dailyLimit" INTEGER NOT NULL DEFAULT 5,
    "publicFraction" REAL NOT NULL DEFAULT 0.3,
    "rowCount" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Challenge_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChallengeData" (
    "challengeId" TEXT NOT NULL PRIMARY KEY,
    "featuresCsv" TEXT NOT NULL,
    "trainCsv" TEXT,
    "ids" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "publicMask" TEXT NOT NULL,
    CONSTRAINT "ChallengeData_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChallengeSubmission" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "challengeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "publicScore" REAL NOT NULL,
    "privateScore" REAL NOT NULL,
    "selected" BOOLEAN NOT NULL DEFAULT false,
    "day" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChallengeSubmission_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChallengeSubmission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Class" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "joinCode" TEXT NOT NULL,
    "instructorId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'America/Argentina/Buenos_Aires',
    "leaderboardNames" TEXT NOT NULL DEFAULT 'name',
    CONSTRAINT "Class_instructorId_fkey" FOREIGN KEY ("instructorId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Class" ("createdAt", "id", "instructorId", "joinCode", "name", "updatedAt") SELECT "createdAt", "id", "instructorId", "joinCode", "name", "updatedAt" FROM "Class";
DROP TABLE "Class";
ALTER TABLE "new_Class" RENAME TO "Class";
CREATE UNIQUE INDEX "Class_joinCode_key" ON "Class"("joinCode");
CREATE INDEX "Class_instructorId_idx" ON "Class"("instructorId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
