-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "minConsent" "ConsentType" NOT NULL DEFAULT 'express';
