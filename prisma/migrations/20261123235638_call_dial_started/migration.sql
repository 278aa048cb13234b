-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "dialStartedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Call_contactId_placedAt_idx" ON "Call"("contactId", "placedAt");
