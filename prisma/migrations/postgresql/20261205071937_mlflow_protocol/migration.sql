-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "defaultForUserId" TEXT;

-- CreateTable
CREATE TABLE "RunInput" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "sourceType" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "schema" TEXT,
    "profile" TEXT,

    CONSTRAINT "RunInput_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunInputTag" (
    "inputId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "RunInputTag_pkey" PRIMARY KEY ("inputId","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "RunInput_runId_name_digest_key" ON "RunInput"("runId", "name", "digest");

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_defaultForUserId_key" ON "Experiment"("defaultForUserId");

-- AddForeignKey
ALTER TABLE "RunInput" ADD CONSTRAINT "RunInput_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunInputTag" ADD CONSTRAINT "RunInputTag_inputId_fkey" FOREIGN KEY ("inputId") REFERENCES "RunInput"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: until now a user's Default experiment was the one of theirs named "Default".
UPDATE "Experiment" SET "defaultForUserId" = "ownerId" WHERE "name" = 'Default' AND "classId" IS NULL AND "lessonSlug" IS NULL;
