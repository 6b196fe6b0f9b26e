// Material for MkDocs 9.8, partials/javascripts/base.html, as a file: the Content-Security-Policy
// forbids inline scripts. Changes: the scope URL is read from the script tag's data-scope, and the
// last line, Passerelle's own.
__md_scope=new URL(document.currentScript.dataset.scope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
// Passerelle: <html> says « scripts run » (class js, as the theme's bundle says later) before the first
// paint, so that passerelle.css gives what the scripts will show its place from the start and nothing
// moves when they run (no layout shift); without JavaScript the class stays no-js.
document.documentElement.classList.replace("no-js","js")
