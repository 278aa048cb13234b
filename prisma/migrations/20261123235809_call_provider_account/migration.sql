-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "providerAccount" TEXT;
