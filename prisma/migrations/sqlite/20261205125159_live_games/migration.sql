-- CreateTable
CREATE TABLE "LiveGame" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pin" TEXT NOT NULL,
    "activePin" TEXT,
    "hostId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "questions" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "phase" TEXT NOT NULL DEFAULT 'lobby',
    "classId" TEXT,
    "lessonSlug" TEXT,
    "quizSetId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    CONSTRAINT "LiveGame_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LivePlayer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gameId" TEXT NOT NULL,
    "nickname" TEXT NOT NULL,
    "nicknameKey" TEXT NOT NULL,
    "userId" TEXT,
    "score" INTEGER NOT NULL DEFAULT 0,
    "streak" INTEGER NOT NULL DEFAULT 0,
    "kicked" BOOLEAN NOT NULL DEFAULT false,
    "tokenHash" TEXT NOT NULL,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LivePlayer_gameId_fkey" FOREIGN KEY ("gameId") REFERENCES "LiveGame" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LivePlayer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LiveAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gameId" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "question" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "ms" INTEGER NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "points" INTEGER NOT NULL,
    "bonus" INTEGER NOT NULL,
    "streak" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LiveAnswer_gameId_fkey" FOREIGN KEY ("gameId") REFERENCES "LiveGame" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LiveAnswer_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "LivePlayer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "LiveGame_activePin_key" ON "LiveGame"("activePin");

-- CreateIndex
CREATE INDEX "LiveGame_hostId_idx" ON "LiveGame"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "LivePlayer_tokenHash_key" ON "LivePlayer"("tokenHash");

-- CreateIndex
CREATE INDEX "LivePlayer_userId_idx" ON "LivePlayer"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "LivePlayer_gameId_nicknameKey_key" ON "LivePlayer"("gameId", "nicknameKey");

-- CreateIndex
CREATE INDEX "LiveAnswer_gameId_question_idx" ON "LiveAnswer"("gameId", "question");

-- CreateIndex
CREATE UNIQUE INDEX "LiveAnswer_playerId_question_key" ON "LiveAnswer"("playerId", "question");
