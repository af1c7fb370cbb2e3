import { sending as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { AddressPolicy } from '@sabia/webhooks';
import type { HandlerKit } from '@sabia/grpc-kit';
import { getSettings } from '../customers/get-settings';
import { listBlockedNumbers, listOptOuts } from '../customers/list-numbers';
import { modifyBlockedNumbers } from '../customers/modify-blocked-numbers';
import { modifyOptOuts } from '../customers/modify-opt-outs';
import { targetSubaccount } from '@sabia/auth';
import { updateSettings } from '../customers/update-settings';
import { DEFAULT_SETTINGS, type CustomerSettings } from '../customers/settings';
import { userOf } from './user-of';

const toProto = (s: CustomerSettings, meta: { subaccountId: string; updatedAt?: Date; updatedBy?: string }): pb.CustomerSettings => ({
  ...s,
  subaccountId: meta.subaccountId,
  updatedAt: meta.updatedAt,
  updatedBy: meta.updatedBy ?? '',
});

const fromProto = (s: pb.CustomerSettings | undefined): CustomerSettings => ({
  allowedCountries: s?.allowedCountries ?? DEFAULT_SETTINGS.allowedCountries,
  forbiddenWords: s?.forbiddenWords ?? [],
  accentsEnabled: s?.accentsEnabled ?? DEFAULT_SETTINGS.accentsEnabled,
  maxChars: s?.maxChars ?? DEFAULT_SETTINGS.maxChars,
  defaultCallbackUrl: s?.defaultCallbackUrl ?? '',
  allowNationalNumbers: s?.allowNationalNumbers ?? false,
  defaultCountry: s?.defaultCountry ?? DEFAULT_SETTINGS.defaultCountry,
  moUrl: s?.moUrl ?? '',
  optOutKeywords: s?.optOutKeywords ?? [],
  optInKeywords: s?.optInKeywords ?? [],
});

const listed = (rows: Array<{ number: string; addedBy: string; addedAt: Date }>) =>
  rows.map((r) => ({ number: r.number, addedBy: r.addedBy, addedAt: r.addedAt }));

/** Customer configuration over gRPC: settings, the blocked list and the opt-out list. */
export function customerHandlers(db: Db, kit: HandlerKit, urlPolicy?: AddressPolicy) {
  return {
    getCustomerSettings: kit.unary(async (req: pb.GetCustomerSettingsRequest, ctx) => {
      const user = userOf(ctx);
      const subaccountId = targetSubaccount(user, req.subaccountId);
      const { settings, source, row } = await getSettings(db, user.accountId, subaccountId);
      return { settings: toProto(settings, { subaccountId: row?.subaccountId ?? '', ...row }), source };
    }),
    updateCustomerSettings: kit.unary(async (req: pb.UpdateCustomerSettingsRequest, ctx) => {
      const row = await updateSettings(db, userOf(ctx), {
        settings: fromProto(req.settings),
        subaccountId: req.settings?.subaccountId ?? '',
        accountDefault: req.accountDefault,
      }, urlPolicy);
      return { settings: toProto(row, row) };
    }),
    modifyBlockedNumbers: kit.unary(async (req: pb.ModifyBlockedNumbersRequest, ctx) => modifyBlockedNumbers(db, userOf(ctx), req)),
    listBlockedNumbers: kit.unary(async (req: pb.ListBlockedNumbersRequest, ctx) => {
      const page = await listBlockedNumbers(db, userOf(ctx), req);
      return { numbers: listed(page.numbers), nextPageToken: page.nextPageToken };
    }),
    modifyOptOuts: kit.unary(async (req: pb.ModifyOptOutsRequest, ctx) => modifyOptOuts(db, userOf(ctx), req)),
    listOptOuts: kit.unary(async (req: pb.ListOptOutsRequest, ctx) => {
      const page = await listOptOuts(db, userOf(ctx), req);
      return { numbers: listed(page.numbers), nextPageToken: page.nextPageToken };
    }),
  };
}
