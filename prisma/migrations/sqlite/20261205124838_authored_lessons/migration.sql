-- CreateTable
CREATE TABLE "AuthoredLesson" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "draft" TEXT NOT NULL,
    "draftRevision" INTEGER NOT NULL DEFAULT 1,
    "publishedVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "AuthoredLesson_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuthoredLessonVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lessonId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "publishedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuthoredLessonVersion_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonDraftSnapshot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lessonId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LessonDraftSnapshot_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonCoauthor" (
    "lessonId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("lessonId", "userId"),
    CONSTRAINT "LessonCoauthor_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LessonCoauthor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lessonId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LessonFile_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonAssignment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "classId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "opensAt" DATETIME NOT NULL,
    "dueAt" DATETIME,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LessonAssignment_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonCopyBase" (
    "userId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "lessonSlug", "locale")
);

-- CreateTable
CREATE TABLE "TeachDataset" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT '',
    "licence" TEXT NOT NULL DEFAULT '',
    "columns" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "csv" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TeachDataset_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AuthoredLesson_slug_key" ON "AuthoredLesson"("slug");

-- CreateIndex
CREATE INDEX "AuthoredLesson_authorId_idx" ON "AuthoredLesson"("authorId");

-- CreateIndex
CREATE UNIQUE INDEX "AuthoredLessonVersion_lessonId_version_key" ON "AuthoredLessonVersion"("lessonId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "LessonDraftSnapshot_lessonId_revision_key" ON "LessonDraftSnapshot"("lessonId", "revision");

-- CreateIndex
CREATE INDEX "LessonCoauthor_userId_idx" ON "LessonCoauthor"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "LessonFile_lessonId_name_key" ON "LessonFile"("lessonId", "name");

-- CreateIndex
CREATE INDEX "LessonAssignment_lessonSlug_idx" ON "LessonAssignment"("lessonSlug");

-- CreateIndex
CREATE UNIQUE INDEX "LessonAssignment_classId_lessonSlug_key" ON "LessonAssignment"("classId", "lessonSlug");

-- CreateIndex
CREATE UNIQUE INDEX "TeachDataset_ownerId_name_key" ON "TeachDataset"("ownerId", "name");
