plugins {
    id("com.android.application")
}

// The in-store kiosk build: old tablets, so it still targets Android 10.
android {
    namespace = "com.example.shop.kiosk.hardened"
    compileSdk = 34

    defaultConfig {
        applicationId = "com.example.shop.kiosk.hardened"
        minSdk = 24
        targetSdk = 29
    }
}
