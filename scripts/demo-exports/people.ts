// Corvid Labs' people and their accounts on every platform: the one table the demo's raw exports are written from,
// so a person's Okta, Google, Salesforce, Slack, GitHub, AWS and Microsoft accounts always agree.

export interface Person {
  /** Okta user id (00u...). */
  okta: string;
  name: string;
  email: string;
  title: string | null;
  dept: string | null;
  /** false: no second factor enrolled (Google 2-Step Verification, AWS console MFA). */
  mfa?: boolean;
  /** false: left the company (deprovisioned in Okta, suspended in Google, deactivated in Salesforce). */
  active?: boolean;
  /** Okta groups, by name. */
  groups: string[];
  slack?: string;
  slackRole?: 'primary-owner' | 'workspace-admin';
  /** Salesforce user id (005...) and profile key (see SF_PROFILES). */
  salesforce?: string;
  sfProfile?: string;
  sfPermissionSets?: string[];
  github?: string;
  teams?: string[];
  /** AWS IAM Identity Center permission sets (assigned in Identity Center, not in the IAM export). */
  aws?: string[];
  snowflake?: boolean;
  googleAdmin?: boolean;
  /** Microsoft 365 (Entra) account, for the finance team and IT. */
  entra?: string;
}

export const PEOPLE: Person[] = [
  { okta: '00uD22L9KHB81CZ1Oa4A', name: 'Dana Whitfield', email: 'dana.whitfield@corvidlabs.com', title: 'Chief Executive Officer', dept: 'Leadership', groups: ['All Employees', 'Leadership'], slack: 'U0RD8QF2ZM3', slackRole: 'primary-owner', salesforce: '005Hs000002U6ZKIAR', sfProfile: 'ReadOnly', googleAdmin: true },
  { okta: '00uNL5MNnSpb2x5uguOh', name: 'Marcus Oyelaran', email: 'marcus.oyelaran@corvidlabs.com', title: 'Chief Technology Officer', dept: 'Leadership', groups: ['All Employees', 'Leadership', 'Engineering'], slack: 'U0U5ODLY56C', github: 'moyelaran', teams: ['platform'], aws: ['AdministratorAccess'] },
  { okta: '00ufesqmDeGEnJiwqBBV', name: 'Elena Sokolova', email: 'elena.sokolova@corvidlabs.com', title: 'Chief Financial Officer', dept: 'Leadership', groups: ['All Employees', 'Leadership', 'Finance & People'], slack: 'U08OFDXRBDM', salesforce: '005Hs00000J8VqxIAK', sfProfile: 'ReadOnly', snowflake: true, entra: '7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d51' },
  { okta: '00uoeQMJzy1qy1dZluhh', name: 'Raj Mehta', email: 'raj.mehta@corvidlabs.com', title: 'VP Sales', dept: 'Sales', groups: ['All Employees', 'Leadership', 'Sales'], slack: 'U0YVGDTXC2N', salesforce: '005Hs00000bH1i5IAP', sfProfile: 'CorvidSales' },
  { okta: '00uSjYsSHy4tSLOVC13v', name: 'Priya Raman', email: 'priya.raman@corvidlabs.com', title: 'Head of IT & Security', dept: 'IT', groups: ['All Employees', 'IT Admins'], slack: 'U003DE6CEOM', slackRole: 'workspace-admin', salesforce: '005Hs00000NxZIxIAE', sfProfile: 'SystemAdministrator', aws: ['AdministratorAccess'], googleAdmin: true, entra: '7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d52' },
  { okta: '00uNJx0RU9hVs5nEKUOt', name: 'Tom Becker', email: 'tom.becker@corvidlabs.com', title: 'IT Systems Administrator', dept: 'IT', groups: ['All Employees', 'IT Admins'], slack: 'U02R8CFBF3L', slackRole: 'workspace-admin', entra: '7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d53' },
  { okta: '00uhdpaKq2Ute8vsAXma', name: 'Sofia Marchetti', email: 'sofia.marchetti@corvidlabs.com', title: 'Staff Engineer, Platform', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0Q31AG91BU', github: 'sofia-marchetti', teams: ['platform', 'backend'], aws: ['AdministratorAccess'] },
  { okta: '00u6UuEy7HDmqFEtKvZJ', name: 'Jonas Lindqvist', email: 'jonas.lindqvist@corvidlabs.com', title: 'Senior Site Reliability Engineer', dept: 'Engineering', mfa: false, groups: ['All Employees', 'Engineering'], slack: 'U05D82DMPJK', github: 'jlindqvist', teams: ['platform'], aws: ['AdministratorAccess'] },
  { okta: '00uJg2SNLUMo6Bbqfggw', name: 'Aisha Bello', email: 'aisha.bello@corvidlabs.com', title: 'Backend Engineer', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0B0KKFN2I8', github: 'aishabello', teams: ['backend'], aws: ['PowerUserAccess'] },
  { okta: '00u2Ofz4TX1eZlaLfozl', name: 'Kenji Watanabe', email: 'kenji.watanabe@corvidlabs.com', title: 'Backend Engineer', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0RU5GWFYV7', github: 'kwatanabe', teams: ['backend'], aws: ['PowerUserAccess'] },
  { okta: '00uQwrxt4B0twTDNPrbj', name: 'Lucas Ferreira', email: 'lucas.ferreira@corvidlabs.com', title: 'Frontend Engineer', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0DO9J7GXPN', github: 'lucasferreira-dev', teams: ['frontend'] },
  { okta: '00u9CFtaZI7TI0JLyS5M', name: 'Hannah Kim', email: 'hannah.kim@corvidlabs.com', title: 'Frontend Engineer', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0HEN8I0OUX', github: 'hkim-corvid', teams: ['frontend'] },
  { okta: '00uz6EmsPaKbNhSCEiuO', name: 'Omar Haddad', email: 'omar.haddad@corvidlabs.com', title: 'Mobile Engineer', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0RO1VR1XNK', github: 'ohaddad', teams: ['mobile'] },
  { okta: '00ui7L4G6Imu3lExmZit', name: 'Greta Novak', email: 'greta.novak@corvidlabs.com', title: 'Engineering Manager', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0RU9EQC088', github: 'gnovak', teams: ['backend', 'frontend'], aws: ['ReadOnlyAccess'] },
  { okta: '00uZBZ2qFoXtZx2HYHBO', name: 'Diego Alvarez', email: 'diego.alvarez@corvidlabs.com', title: 'Platform Engineer', dept: 'Engineering', groups: ['All Employees', 'Engineering'], slack: 'U0VCO6TZJZR', github: 'dalvarez', teams: ['platform'], aws: ['PowerUserAccess'] },
  { okta: '00uNVp78QZi1BjA4wBdq', name: 'Nina Petrova', email: 'nina.petrova@corvidlabs.com', title: 'Security Engineer', dept: 'IT', groups: ['All Employees', 'Engineering'], slack: 'U02X38OGTUK', github: 'npetrova-sec', teams: ['security'], aws: ['SecurityAudit', 'ReadOnlyAccess'] },
  { okta: '00ugb1qGulKLBhLsfg0S', name: 'Wei Zhang', email: 'wei.zhang@corvidlabs.com', title: 'Data Engineering Lead', dept: 'Data', groups: ['All Employees', 'Data'], slack: 'U0IH79X0DZ9', github: 'weizhang-data', teams: ['data'], aws: ['DataEngineering'], snowflake: true },
  { okta: '00ubxWNbQD1ZJUJjwPap', name: 'Fatima Noor', email: 'fatima.noor@corvidlabs.com', title: 'Analytics Engineer', dept: 'Data', groups: ['All Employees', 'Data'], slack: 'U09KHE616M3', github: 'fnoor', teams: ['data'], aws: ['DataEngineering'], snowflake: true },
  { okta: '00uLfhNHHqhU53RbOQ7M', name: 'Ben Carter', email: 'ben.carter@corvidlabs.com', title: 'Data Analyst', dept: 'Data', groups: ['All Employees', 'Data'], slack: 'U06Q86M3BK5', snowflake: true },
  { okta: '00uf0Og2hsvUFL004pdK', name: 'Chloé Dubois', email: 'chloe.dubois@corvidlabs.com', title: 'Account Executive', dept: 'Sales', groups: ['All Employees', 'Sales'], slack: 'U0UQWOTWS92', salesforce: '005Hs0000022kmGIAO', sfProfile: 'CorvidSales' },
  { okta: '00uOwtXPw7NhQ0U51OKn', name: "Ryan O'Connell", email: 'ryan.oconnell@corvidlabs.com', title: 'Account Executive', dept: 'Sales', groups: ['All Employees', 'Sales'], slack: 'U099M6IHGGX', salesforce: '005Hs00000YtvFgIAO', sfProfile: 'CorvidSales' },
  { okta: '00u1CjnsPrK4DDFOLixC', name: 'Maya Goldberg', email: 'maya.goldberg@corvidlabs.com', title: 'Sales Development Representative', dept: 'Sales', mfa: false, groups: ['All Employees', 'Sales'], slack: 'U0Y4IH0MQDG', salesforce: '005Hs000003SEprIAF', sfProfile: 'CorvidSales' },
  { okta: '00u4Svw0PnUMvHMEkTjY', name: 'Ethan Brooks', email: 'ethan.brooks@corvidlabs.com', title: 'Sales Development Representative', dept: 'Sales', groups: ['All Employees', 'Sales'], slack: 'U0A52VXRJGV', salesforce: '005Hs00000OiyajIAN', sfProfile: 'CorvidSales' },
  { okta: '00uNTUMGTePtC5C0yeUa', name: 'Laura Jensen', email: 'laura.jensen@corvidlabs.com', title: 'Sales Manager', dept: 'Sales', groups: ['All Employees', 'Sales'], slack: 'U0E22WGES4N', salesforce: '005Hs00000EN3ibIAU', sfProfile: 'CorvidSales' },
  { okta: '00u2bOsN9YGtEqvXOACg', name: 'Samuel Adeyemi', email: 'samuel.adeyemi@corvidlabs.com', title: 'Solutions Engineer', dept: 'Sales', groups: ['All Employees', 'Sales'], slack: 'U02NA52GZ8T', salesforce: '005Hs00000qY6jzIAK', sfProfile: 'CorvidSales', github: 'sadeyemi', teams: ['product'] },
  { okta: '00utJP7nnD1HxWedqRkO', name: 'Isabel Romero', email: 'isabel.romero@corvidlabs.com', title: 'Revenue Operations Manager', dept: 'Revenue Operations', groups: ['All Employees', 'Revenue Operations'], slack: 'U00JJ5ECWZ9', salesforce: '005Hs00000xMuOVIAZ', sfProfile: 'SystemAdministrator' },
  { okta: '00uz7e4VlaBKIHo1AGkS', name: 'Kevin Tran', email: 'kevin.tran@corvidlabs.com', title: 'Head of Customer Support', dept: 'Customer Support', groups: ['All Employees', 'Customer Support'], slack: 'U0U5S77247F', salesforce: '005Hs00000oqHEWIAF', sfProfile: 'CorvidSupport' },
  { okta: '00uC44UIxOhuL3cWMSJF', name: 'Zoe Campbell', email: 'zoe.campbell@corvidlabs.com', title: 'Support Engineer', dept: 'Customer Support', groups: ['All Employees', 'Customer Support'], slack: 'U06RRX5SBZV', salesforce: '005Hs00000b4DYEIAK', sfProfile: 'CorvidSupport' },
  { okta: '00uh5y556oCjtlr7guCC', name: 'Mateo Rossi', email: 'mateo.rossi@corvidlabs.com', title: 'Support Engineer', dept: 'Customer Support', groups: ['All Employees', 'Customer Support'], slack: 'U0AN8VUNFNE', salesforce: '005Hs00000c3QaeIAS', sfProfile: 'CorvidSupport' },
  { okta: '00uUEoaUf6urE4p65x2D', name: 'Amara Okafor', email: 'amara.okafor@corvidlabs.com', title: 'Customer Success Manager', dept: 'Customer Support', groups: ['All Employees', 'Customer Support'], slack: 'U09G78NJBSP', salesforce: '005Hs00000DZDWrIAD', sfProfile: 'CorvidSupport' },
  { okta: '00uKBJt0BlSn8yONuDfD', name: 'Lily Chen', email: 'lily.chen@corvidlabs.com', title: 'Support Engineer (contractor)', dept: 'Customer Support', groups: ['All Employees', 'Customer Support', 'Contractors'], slack: 'U0M6PG4OG5X', salesforce: '005Hs0000059wQrIAJ', sfProfile: 'CorvidSupport' },
  { okta: '00u3OTky5hQTRwGBG5jk', name: 'Inês Duarte', email: 'ines.duarte@corvidlabs.com', title: 'Support Engineer (contractor)', dept: 'Customer Support', mfa: false, groups: ['All Employees', 'Customer Support', 'Contractors'], slack: 'U02YQBQEL7U', salesforce: '005Hs00000sFEr4IAO', sfProfile: 'CorvidSupport' },
  { okta: '00ubCA8iCmxIdbRItCSn', name: 'Paul Schneider', email: 'paul.schneider@corvidlabs.com', title: 'Financial Controller', dept: 'Finance', groups: ['All Employees', 'Finance & People'], slack: 'U0J05DWS7RG', snowflake: true, entra: '7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d54' },
  { okta: '00u87PZ7BPtSxVnrLOEk', name: 'Grace Liu', email: 'grace.liu@corvidlabs.com', title: 'People Operations Manager', dept: 'People', groups: ['All Employees', 'Finance & People'], slack: 'U0VT2WX9XSZ', entra: '7c1e4d2a-5b3f-4a8e-9d6c-2f1a0b3c4d55' },
  { okta: '00uzvqfdVMl5oIDAxp0z', name: 'Noah Williams', email: 'noah.williams@corvidlabs.com', title: 'Talent Partner', dept: 'People', mfa: false, groups: ['All Employees', 'Finance & People'], slack: 'U0DVFF1A0K9' },
  { okta: '00uSMwr2jAwT64DIKLNw', name: 'Emma Fischer', email: 'emma.fischer@corvidlabs.com', title: 'Marketing Manager', dept: 'Marketing', groups: ['All Employees', 'Marketing'], slack: 'U0D4RT1U255', salesforce: '005Hs000005HLHUIAX', sfProfile: 'CorvidMarketing' },
  { okta: '00uS0n1HZ2kxU1cYAvAR', name: 'Leo Martin', email: 'leo.martin@corvidlabs.com', title: 'Content Marketing Lead', dept: 'Marketing', groups: ['All Employees', 'Marketing'], slack: 'U0YEN6KIJ4U', salesforce: '005Hs00000eUx7cIAV', sfProfile: 'CorvidMarketing' },
  { okta: '00u6K24RvVUP0TmuPpdR', name: 'Ava Thompson', email: 'ava.thompson@corvidlabs.com', title: 'Senior Product Manager', dept: 'Product', groups: ['All Employees', 'Product & Design'], slack: 'U0885UGSFDG', github: 'avathompson', teams: ['product'] },
  { okta: '00uLLKJH57og4D2gS9yj', name: 'Felix Wagner', email: 'felix.wagner@corvidlabs.com', title: 'Product Designer', dept: 'Product', groups: ['All Employees', 'Product & Design'], slack: 'U0GCNULRPNH', github: 'felixw-design', teams: ['product'] },
  { okta: '00u7WgInVoEZXKmbw0NA', name: 'Victor Hale', email: 'victor.hale@corvidlabs.com', title: 'Account Executive (left July 2024)', dept: 'Sales', active: false, groups: ['All Employees', 'Sales'], slack: 'U0ZS5EIE148', salesforce: '005Hs00000cuszcIAS', sfProfile: 'CorvidSales' },
];

/** The Okta service account Peoplegrid's API token belongs to. */
export const PEOPLEGRID_SERVICE = { okta: '00uy5aj4RSSEsznvVgUv', login: 'svc-peoplegrid@corvidlabs.com' };

export const personByOkta = (id: string): Person => {
  const person = PEOPLE.find((p) => p.okta === id);
  if (!person) throw new Error(`no person with Okta id ${id}`);
  return person;
};
export const personByEmail = (email: string): Person => {
  const person = PEOPLE.find((p) => p.email === email);
  if (!person) throw new Error(`no person ${email}`);
  return person;
};
export const firstName = (p: Person): string => p.name.split(' ')[0]!;
export const lastName = (p: Person): string => p.name.split(' ').slice(1).join(' ');
export const isActive = (p: Person): boolean => p.active !== false;
