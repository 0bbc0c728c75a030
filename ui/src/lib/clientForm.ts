// The details form a client's record is registered and edited with (NewClient), shared by
// "Register a person" and "Edit details".
import type { ClientRecord, NewClient } from "./api/types";
import { typedDate } from "./format";

export function emptyClient(): NewClient {
  return {
    surname: "",
    forenames: "",
    date_of_birth: "",
    sex: "",
    pnc: "",
    nhs_number: "",
    gender_identity: "",
    ethnicity: "",
    no_fixed_abode: false,
    address: "",
    postcode: "",
    gp: "",
    phone: "",
    prison_number: "",
    primary_substance: "",
    secondary_substance: "",
    injecting_status: "",
    risk_notes: "",
  };
}

/** The record as the form shows it: dates as typed (03/03/1987), the NHS number as digits. */
export function clientFromRecord(r: ClientRecord): NewClient {
  return {
    surname: r.surname,
    forenames: r.forenames,
    date_of_birth: typedDate(r.date_of_birth),
    sex: r.sex,
    pnc: r.pnc ?? "",
    nhs_number: (r.nhs_number ?? "").replace(/\s+/g, ""),
    gender_identity: r.gender_identity ?? "",
    ethnicity: r.ethnicity ?? "",
    no_fixed_abode: r.no_fixed_abode,
    address: r.address ?? "",
    postcode: r.postcode ?? "",
    gp: r.gp ?? "",
    phone: r.phone ?? "",
    prison_number: r.prison_number ?? "",
    primary_substance: r.primary_substance ?? "",
    secondary_substance: r.secondary_substance ?? "",
    injecting_status: r.injecting_status ?? "",
    risk_notes: r.risk_notes ?? "",
  };
}

/** Backend field names → the element a summary link focuses, in the order the form shows them. */
export const CLIENT_TARGETS: Record<string, string> = {
  surname: "surname",
  forenames: "forenames",
  date_of_birth: "date_of_birth",
  sex: "sex-female",
  pnc: "pnc",
  nhs_number: "nhs_number",
  gender_identity: "gender_identity",
  ethnicity: "ethnicity",
  no_fixed_abode: "no_fixed_abode",
  address: "address",
  postcode: "postcode",
  gp: "gp",
  phone: "phone",
  prison_number: "prison_number",
  primary_substance: "primary_substance",
  secondary_substance: "secondary_substance",
  injecting_status: "injecting_status",
  risk_notes: "risk_notes",
};

/** The fields inside "More details (optional)". */
export const MORE_DETAILS: (keyof NewClient)[] = [
  "gender_identity",
  "ethnicity",
  "no_fixed_abode",
  "address",
  "postcode",
  "gp",
  "phone",
  "prison_number",
  "primary_substance",
  "secondary_substance",
  "injecting_status",
  "risk_notes",
];

/** Each field's name as the form shows it. */
export const CLIENT_FIELD_LABELS: Record<string, string> = {
  surname: "Surname",
  forenames: "Forenames",
  date_of_birth: "Date of birth",
  sex: "Sex",
  pnc: "PNC id",
  nhs_number: "NHS number",
  gender_identity: "Gender identity",
  ethnicity: "Ethnicity",
  no_fixed_abode: "No fixed abode",
  address: "Address",
  postcode: "Postcode",
  gp: "GP",
  phone: "Phone",
  prison_number: "Prison number",
  primary_substance: "Main substance",
  secondary_substance: "Second substance",
  injecting_status: "Injecting",
  risk_notes: "Risk notes",
};

/** True when something in "More details" is filled in. */
export function hasMoreDetails(c: NewClient): boolean {
  return MORE_DETAILS.some((k) => (typeof c[k] === "boolean" ? c[k] : String(c[k]).trim() !== ""));
}
