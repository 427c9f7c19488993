-- CreateTable
CREATE TABLE "AuthoredLesson" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "draft" TEXT NOT NULL,
    "draftRevision" INTEGER NOT NULL DEFAULT 1,
    "publishedVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "AuthoredLesson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthoredLessonVersion" (
    "id" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "publishedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuthoredLessonVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonDraftSnapshot" (
    "id" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LessonDraftSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonCoauthor" (
    "lessonId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LessonCoauthor_pkey" PRIMARY KEY ("lessonId","userId")
);

-- CreateTable
CREATE TABLE "LessonFile" (
    "id" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LessonFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonAssignment" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "opensAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LessonAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonCopyBase" (
    "userId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LessonCopyBase_pkey" PRIMARY KEY ("userId","lessonSlug","locale")
);

-- CreateTable
CREATE TABLE "TeachDataset" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT '',
    "licence" TEXT NOT NULL DEFAULT '',
    "columns" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "csv" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeachDataset_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "AuthoredLesson" ADD CONSTRAINT "AuthoredLesson_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthoredLessonVersion" ADD CONSTRAINT "AuthoredLessonVersion_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonDraftSnapshot" ADD CONSTRAINT "LessonDraftSnapshot_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonCoauthor" ADD CONSTRAINT "LessonCoauthor_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonCoauthor" ADD CONSTRAINT "LessonCoauthor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonFile" ADD CONSTRAINT "LessonFile_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "AuthoredLesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonAssignment" ADD CONSTRAINT "LessonAssignment_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeachDataset" ADD CONSTRAINT "TeachDataset_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
