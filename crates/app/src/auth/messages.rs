//! What signing in and the second factor say. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What signing in and the second factor say.
    pub enum AuthMessage {
        CurrentPasswordNotRight => "Your current password is not right",
        TwoNewPasswordsDoNot => "The two new passwords do not match",
        Enter6DigitCodeAuthenticator => "Enter the 6-digit code from your authenticator app",
        CodeNotRightHasAlready => "That code is not right or has already been used: wait for the next code and enter it",
        SetupKeyWasNotRecognised => "The setup key was not recognised: start again",
        CodeDoesNotMatchSetup => "That code does not match the setup key: check the app shows Waymark and enter its current 6-digit code",
    }
}
