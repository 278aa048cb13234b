-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "openEnrollment" BOOLEAN NOT NULL DEFAULT false;
