// Zensical 0.0.73, partials/javascripts/base.html, as a file: the Content-Security-Policy
// forbids inline scripts. Changes: the scope URL is read from the script tag's data-scope, and the
// last line, Passerelle's own.
__md_scope=new URL(document.currentScript.dataset.scope,location),__md_scope.pathname.endsWith("/")||(__md_scope=new URL(__md_scope.pathname+"/",location)),__md_hash=e=>[...e].reduce(((e,t)=>(e<<5)-e+t.charCodeAt(0)),0),__md_get=(e,t=localStorage,_=__md_scope)=>JSON.parse(t.getItem(_.pathname+"."+e)),__md_set=(e,t,_=localStorage,a=__md_scope)=>{try{_.setItem(a.pathname+"."+e,JSON.stringify(t))}catch(e){}},document.documentElement.setAttribute("data-platform",navigator.platform)
// Passerelle: <html> says « scripts run » (class js, as the theme's bundle says later) before the first
// paint, so that passerelle.css gives what the scripts will show its place from the start and nothing
// moves when they run (no layout shift); without JavaScript the class stays no-js.
document.documentElement.classList.replace("no-js","js")
