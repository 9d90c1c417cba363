/** Where the demo tenant's signup page lives: the seeded tenant's signup URL points here. */
export const DEMO_SIGNUP_PATH = "/demo/signup";
