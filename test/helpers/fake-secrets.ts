// Obviously fake, secret-shaped values for the tests that plant a secret and check it never comes out. They are
// built when the test runs, so no secret-shaped literal is committed; each is marked FAKE inside its own text.
export const FAKE_GITHUB_TOKEN = ['ghp', 'FAKEtestTOKENnotREAL0000blastmap0000'].join('_');
/** A Slack user token's shape, as the collector sends it: FAKE, marked inside. */
export const FAKE_SLACK_USER_TOKEN = ['xoxp', '0000000000', '0000000000', '0000000000', 'FAKEtestTOKENnotREAL0000blastmap0000'].join('-');
export const FAKE_SLACK_BOT_TOKEN = ['xoxb', '000000000000', '0000000000000', 'FAKEtestTOKENnotREAL0000'].join('-');
export const FAKE_GITLAB_TOKEN = ['glpat', 'FAKEtestTOKENnotREAL'].join('-');
export const FAKE_STRIPE_KEY = ['sk', 'live', 'FAKEtestKEYnotREAL0000blastmap0000FAKE'].join('_');
