-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "trainingReference" TEXT;

-- CreateTable
CREATE TABLE "Endpoint" (
    "modelId" TEXT NOT NULL,
    "visibility" TEXT NOT NULL DEFAULT 'private',
    "mode" TEXT NOT NULL DEFAULT 'single',
    "stableVersion" INTEGER,
    "candidateVersion" INTEGER,
    "canaryPercent" INTEGER NOT NULL DEFAULT 0,
    "abPercent" INTEGER NOT NULL DEFAULT 50,
    "liveColor" TEXT NOT NULL DEFAULT 'blue',
    "updatedAt" BIGINT NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "Endpoint_pkey" PRIMARY KEY ("modelId")
);

-- CreateTable
CREATE TABLE "DeploymentEvent" (
    "id" SERIAL NOT NULL,
    "ownerId" TEXT NOT NULL,
    "modelId" TEXT,
    "modelName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "createdAt" BIGINT NOT NULL,

    CONSTRAINT "DeploymentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeploymentEvent_modelId_id_idx" ON "DeploymentEvent"("modelId", "id");

-- CreateIndex
CREATE INDEX "DeploymentEvent_ownerId_idx" ON "DeploymentEvent"("ownerId");

-- AddForeignKey
ALTER TABLE "Endpoint" ADD CONSTRAINT "Endpoint_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RegisteredModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentEvent" ADD CONSTRAINT "DeploymentEvent_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentEvent" ADD CONSTRAINT "DeploymentEvent_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RegisteredModel"("id") ON DELETE SET NULL ON UPDATE CASCADE;
