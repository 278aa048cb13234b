-- CreateTable
CREATE TABLE "CallStat" (
    "portalId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "variantId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "outcome" TEXT NOT NULL,
    "endedReason" TEXT NOT NULL,
    "disposition" TEXT NOT NULL,
    "isOptOut" BOOLEAN NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "durationCalls" INTEGER NOT NULL DEFAULT 0,
    "durationSec" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "costCalls" INTEGER NOT NULL DEFAULT 0,
    "cost" DECIMAL(16,4) NOT NULL DEFAULT 0,

    CONSTRAINT "CallStat_pkey" PRIMARY KEY ("portalId","campaignId","day","variantId","outcome","endedReason","disposition","isOptOut")
);

-- CreateTable
CREATE TABLE "CallDurationStat" (
    "portalId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "variantId" UUID NOT NULL,
    "seconds" INTEGER NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CallDurationStat_pkey" PRIMARY KEY ("portalId","campaignId","variantId","seconds")
);

-- CreateIndex
CREATE INDEX "Call_outcome_placedAt_idx" ON "Call"("outcome", "placedAt");

-- AddForeignKey
ALTER TABLE "CallStat" ADD CONSTRAINT "CallStat_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallDurationStat" ADD CONSTRAINT "CallDurationStat_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
