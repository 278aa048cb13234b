-- CreateTable
CREATE TABLE "ImportUploadChunk" (
    "importId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "portalId" UUID NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "ImportUploadChunk_pkey" PRIMARY KEY ("importId","seq")
);

-- CreateIndex
CREATE INDEX "ImportUploadChunk_portalId_idx" ON "ImportUploadChunk"("portalId");

-- AddForeignKey
ALTER TABLE "ImportUploadChunk" ADD CONSTRAINT "ImportUploadChunk_importId_fkey" FOREIGN KEY ("importId") REFERENCES "Import"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportUploadChunk" ADD CONSTRAINT "ImportUploadChunk_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
