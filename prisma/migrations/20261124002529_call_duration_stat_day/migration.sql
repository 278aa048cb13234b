-- AlterTable
ALTER TABLE "CallDurationStat" DROP CONSTRAINT "CallDurationStat_pkey",
ADD COLUMN     "day" DATE NOT NULL,
ADD CONSTRAINT "CallDurationStat_pkey" PRIMARY KEY ("portalId", "campaignId", "day", "variantId", "seconds");
