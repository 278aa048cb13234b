-- CreateTable
CREATE TABLE "CallDurationTotal" (
    "portalId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "variantId" UUID NOT NULL,
    "seconds" INTEGER NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CallDurationTotal_pkey" PRIMARY KEY ("portalId","campaignId","variantId","seconds")
);

-- AddForeignKey
ALTER TABLE "CallDurationTotal" ADD CONSTRAINT "CallDurationTotal_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
