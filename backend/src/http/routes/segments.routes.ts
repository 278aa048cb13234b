import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { createSegment, deleteSegment, getSegment, listSegments, updateSegment } from '../../domain/segments/segment.service';
import { previewRule, previewSegment } from '../../domain/segments/segment-preview';
import { ZListQuery, ZPreviewOptions, ZPreviewUnsaved, ZSegmentCreate, ZSegmentUpdate } from '../../domain/segments/segment.schemas';

export function registerSegmentRoutes(api: ApiRouter, deps: AppDeps): void {
  const { db } = deps;

  api.route('post', '/segments/preview', 'Preview an unsaved rule: count, sample and who would be skipped and why.', async (req, res) => {
    res.json(await previewRule(db, portalOf(req).portalId, parseInput(ZPreviewUnsaved, req.body ?? {}, 'body')));
  });

  api.route('post', '/segments', 'Create a segment (a JSONLogic rule over contacts, optionally limited to an import).', async (req, res) => {
    res.status(201).json(await createSegment(db, portalOf(req).portalId, parseInput(ZSegmentCreate, req.body, 'body')));
  });

  api.route('get', '/segments', 'List segments, newest first (limit, cursor).', async (req, res) => {
    res.json(await listSegments(db, portalOf(req).portalId, parseInput(ZListQuery, req.query, 'query')));
  });

  api.route('get', '/segments/:segmentId', 'Read a segment.', async (req, res) => {
    res.json(await getSegment(db, portalOf(req).portalId, parseId(req.params.segmentId, 'segment')));
  });

  api.route('patch', '/segments/:segmentId', 'Change a segment name, rule or import.', async (req, res) => {
    const segmentId = parseId(req.params.segmentId, 'segment');
    res.json(await updateSegment(db, portalOf(req).portalId, segmentId, () => parseInput(ZSegmentUpdate, req.body, 'body')));
  });

  api.route('delete', '/segments/:segmentId', 'Delete a segment no campaign uses.', async (req, res) => {
    await deleteSegment(db, portalOf(req).portalId, parseId(req.params.segmentId, 'segment'));
    res.status(204).end();
  });

  api.route('post', '/segments/:segmentId/preview', 'Preview a segment: count, sample and who would be skipped and why.', async (req, res) => {
    const segmentId = parseId(req.params.segmentId, 'segment');
    res.json(await previewSegment(db, portalOf(req).portalId, segmentId, () => parseInput(ZPreviewOptions, req.body ?? {}, 'body')));
  });
}
